using System.Text;

namespace RiskAlign.Framework.Comparison;

/// <summary>An RFC 4180 table as <see cref="Reports.TrialsCsvWriter"/> writes it: a header row and rows of fields
/// (quoted fields may hold commas, doubled quotes and line breaks).</summary>
internal sealed class CsvTable
{
    private CsvTable(IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        Header = header;
        Rows = rows;
    }

    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>The index of <paramref name="column"/>, or -1.</summary>
    public int Column(string column) => Header.ToList().IndexOf(column);

    public static CsvTable Parse(string text, string file)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, any = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; any = true; break;
                case ',': fields.Add(field.ToString()); field.Clear(); any = true; break;
                case '\r': break;
                case '\n':
                    fields.Add(field.ToString()); field.Clear();
                    records.Add([.. fields]); fields.Clear(); any = false;
                    break;
                default: field.Append(c); any = true; break;
            }
        }
        if (any || field.Length > 0) { fields.Add(field.ToString()); records.Add([.. fields]); }
        if (quoted) throw new ComparisonInputException($"{file}: a quoted field is not closed.");
        if (records.Count == 0) throw new ComparisonInputException($"{file}: the file is empty; expected a header row.");
        var header = records[0];
        for (int r = 1; r < records.Count; r++)
            if (records[r].Length != header.Length)
                throw new ComparisonInputException($"{file}: row {r + 1} has {records[r].Length} fields, the header {header.Length}.");
        return new CsvTable(header, records.Skip(1).ToList());
    }
}
