using System.Text.Json;
using RiskAlign.Framework.Assets;

namespace RiskAlign.Framework.Data;

/// <summary>
/// Reads the IMDb Large Movie Review Dataset as JSON lines (plain or gzip):
/// <c>{"id": 0, "label": "pos"|"neg", "rating": 1-10, "text": "..."}</c> → <see cref="LabeledText"/> with
/// label <see cref="Negative"/> (0) or <see cref="Positive"/> (1). Only <c>label</c> and <c>text</c> are required.
/// </summary>
public sealed class ImdbReader : LineDatasetReader<LabeledText>
{
    /// <summary>Label of a negative review ("neg").</summary>
    public const int Negative = 0;

    /// <summary>Label of a positive review ("pos").</summary>
    public const int Positive = 1;

    /// <summary>Reads one file.</summary>
    public ImdbReader(string file) : this([file]) { }

    /// <summary>Reads the files in the order given.</summary>
    public ImdbReader(IEnumerable<string> files) : base(files) { }

    /// <summary>The train split in the assets folder (<c>imdb/imdb-train.jsonl.gz</c>, 25,000 reviews).</summary>
    public static ImdbReader Train(string? assetsFolder = null) => new(AssetLocator.Require("imdb/imdb-train.jsonl.gz", assetsFolder));

    /// <summary>The test split in the assets folder (<c>imdb/imdb-test.jsonl.gz</c>, 25,000 reviews).</summary>
    public static ImdbReader Test(string? assetsFolder = null) => new(AssetLocator.Require("imdb/imdb-test.jsonl.gz", assetsFolder));

    /// <inheritdoc />
    protected override bool TryParse(string file, long line, string text, out LabeledText record)
    {
        using var document = DatasetFiles.ParseObject(file, line, text);
        var root = document.RootElement;
        var body = DatasetFiles.RequireString(root, "text", file, line);
        if (!root.TryGetProperty("label", out var label))
            throw new DatasetFormatException(file, line, "missing field 'label' (\"pos\" or \"neg\")");
        var value = label.ValueKind switch
        {
            JsonValueKind.String when label.GetString() == "pos" => Positive,
            JsonValueKind.String when label.GetString() == "neg" => Negative,
            JsonValueKind.Number when label.TryGetInt32(out var n) && n is Negative or Positive => n,
            _ => throw new DatasetFormatException(file, line,
                $"field 'label' must be \"pos\" or \"neg\" (or 1/0), found {label.GetRawText()}"),
        };
        record = new LabeledText(body, value);
        return true;
    }
}
