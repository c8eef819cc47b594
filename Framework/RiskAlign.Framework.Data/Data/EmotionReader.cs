using System.Globalization;
using RiskAlign.Framework.Assets;

namespace RiskAlign.Framework.Data;

/// <summary>
/// Reads the dair-ai "emotion" dataset (CARER, Saravia et al. 2018): an optional header line (<c>text;label_name</c>
/// or <c>text;label</c>, as in the assets; the original release has none), then <c>text;label</c> a line, the label being a name from <see cref="LabelNames"/> or its
/// index. The text is everything before the last <c>';'</c>. Labels map to indices in the dataset's own order:
/// sadness 0, joy 1, love 2, anger 3, fear 4, surprise 5.
/// </summary>
public sealed class EmotionReader : LineDatasetReader<LabeledText>
{
    /// <summary>The six emotions, indexed by label (the order of the published dataset).</summary>
    public static readonly IReadOnlyList<string> LabelNames = ["sadness", "joy", "love", "anger", "fear", "surprise"];

    /// <summary>Label index of sadness.</summary>
    public const int Sadness = 0;
    /// <summary>Label index of joy.</summary>
    public const int Joy = 1;
    /// <summary>Label index of love.</summary>
    public const int Love = 2;
    /// <summary>Label index of anger.</summary>
    public const int Anger = 3;
    /// <summary>Label index of fear.</summary>
    public const int Fear = 4;
    /// <summary>Label index of surprise.</summary>
    public const int Surprise = 5;

    /// <summary>Reads one file.</summary>
    public EmotionReader(string file) : this([file]) { }

    /// <summary>Reads the files in the order given (each with or without its header).</summary>
    public EmotionReader(IEnumerable<string> files) : base(files) { }

    /// <summary>A split in the assets folder: <c>train</c> (16,000), <c>val</c> (2,000) or <c>test</c> (2,000).</summary>
    public static EmotionReader Split(string split, string? assetsFolder = null)
    {
        if (split is not ("train" or "val" or "test"))
            throw new ArgumentException($"Unknown emotion split '{split}': expected train, val or test.", nameof(split));
        return new EmotionReader(AssetLocator.Require($"emotion/{split}.txt", assetsFolder));
    }

    /// <summary>The label index of an emotion name (case-insensitive), or -1.</summary>
    public static int LabelOf(string name)
    {
        for (var i = 0; i < LabelNames.Count; i++)
            if (string.Equals(LabelNames[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    /// <inheritdoc />
    protected override bool TryParse(string file, long line, string text, out LabeledText record)
    {
        record = null!;
        var at = text.LastIndexOf(';');
        if (line == 1 && text.Trim() is "text;label_name" or "text;label") return false; // the header, when present
        if (at < 0)
            throw new DatasetFormatException(file, line, $"expected 'text;label', found no ';' in '{Clip(text)}'");
        var name = text[(at + 1)..].Trim();
        var label = LabelOf(name);
        if (label < 0 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < LabelNames.Count)
            label = index;
        if (label < 0)
            throw new DatasetFormatException(file, line, $"unknown emotion label '{name}': expected one of {string.Join(", ", LabelNames)} or 0-{LabelNames.Count - 1}");
        record = new LabeledText(text[..at], label);
        return true;
    }

    private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
