using System.Globalization;

namespace RiskAlign.Framework.Rewards;

/// <summary>Reads tab-separated <c>token, valence, ...</c> lexicons with clear errors naming file and line.</summary>
internal static class LexiconFiles
{
    public static Dictionary<string, double> ReadValences(string path, int minimumFields)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Lexicon file '{path}' not found.", path);
        var lexicon = new Dictionary<string, double>(StringComparer.Ordinal);
        long number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0) continue;
            var fields = line.Split('\t');
            if (fields.Length < minimumFields)
                throw new Data.DatasetFormatException(path, number, $"expected at least {minimumFields} tab-separated fields (token, valence, ...), found {fields.Length}");
            if (!double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var valence))
                throw new Data.DatasetFormatException(path, number, $"valence '{fields[1]}' of '{fields[0]}' is not a number");
            lexicon[fields[0]] = valence;
        }
        return lexicon;
    }
}
