namespace RiskAlign.Framework.Tests.Data;

public sealed class PreferenceJsonlReaderTests
{
    [Fact]
    public void Reads_prompt_chosen_rejected_lines_and_drops_identical_pairs()
    {
        using var temp = new TempFiles();
        var path = temp.Write("p.jsonl",
            "{\"prompt\": \"Q: 2+2?\\nA:\", \"chosen\": \" 4\", \"rejected\": \" 5\", \"source\": \"ignored\"}\n" +
            "{\"prompt\": \"P\", \"chosen\": \"x\", \"rejected\": \"x\"}\n");
        var reader = new PreferenceJsonlReader(path);

        var pairs = reader.Read().ToList();

        Assert.Equal([new TextPreferencePair("Q: 2+2?\nA:", " 4", " 5")], pairs);
        Assert.Equal(2, reader.Statistics.Read);
        Assert.Equal(1, reader.Statistics.Kept);
        Assert.Equal(1, reader.Statistics.DroppedIdentical);
    }

    [Fact]
    public void Missing_prompt_fails_naming_file_and_line()
    {
        using var temp = new TempFiles();
        var path = temp.WriteGzip("p.jsonl.gz",
            "{\"prompt\": \"P\", \"chosen\": \"a\", \"rejected\": \"b\"}\n{\"chosen\": \"a\", \"rejected\": \"b\"}\n");
        var error = Assert.Throws<DatasetFormatException>(() => new PreferenceJsonlReader(path).Read().ToList());
        Assert.Equal(2, error.Line);
        Assert.Equal($"{path}:2: missing field 'prompt' (a string)", error.Message);
    }
}
