using System.Text.Json;

namespace RiskAlign.Framework.Tests.Data;

public sealed class ShareGptDpoReaderTests
{
    [Fact]
    public void Demo_file_yields_its_300_pairs_with_rendered_prompts()
    {
        // 300 pairs: shared/assets/README.md; the first record's texts are checked against the raw JSON here.
        var path = AssetLocator.Require("preference-demo/dpo_en_demo.json");
        using var raw = JsonDocument.Parse(File.ReadAllBytes(path));
        var rawFirst = raw.RootElement[0];

        var reader = ShareGptDpoReader.Demo();
        var pairs = reader.Read().ToList();

        Assert.Equal(300, raw.RootElement.GetArrayLength());
        Assert.Equal(300, pairs.Count);
        Assert.Equal(0, reader.Statistics.DroppedIdentical);
        Assert.Equal(
            "\n\nHuman: " + rawFirst.GetProperty("conversations")[0].GetProperty("value").GetString() + "\n\nAssistant:",
            pairs[0].Prompt);
        Assert.Equal(" " + rawFirst.GetProperty("chosen").GetProperty("value").GetString(), pairs[0].Chosen);
        Assert.Equal(" " + rawFirst.GetProperty("rejected").GetProperty("value").GetString(), pairs[0].Rejected);
        Assert.All(pairs, p => Assert.EndsWith("\n\nAssistant:", p.Prompt));
    }

    [Fact]
    public void Multi_turn_conversation_renders_roles_in_order()
    {
        var prompt = ShareGptDpoReader.RenderPrompt([("system", "Be kind."), ("human", "Hi"), ("gpt", "Hello"), ("user", "Bye?")]);
        Assert.Equal("\n\nSystem: Be kind.\n\nHuman: Hi\n\nAssistant: Hello\n\nHuman: Bye?\n\nAssistant:", prompt);
    }

    [Fact]
    public async Task Json_lines_layout_and_async_reading_are_supported()
    {
        using var temp = new TempFiles();
        var path = temp.WriteGzip("d.jsonl.gz",
            "{\"conversations\": [{\"from\": \"human\", \"value\": \"Q\"}], \"chosen\": {\"from\": \"gpt\", \"value\": \"A\"}, \"rejected\": {\"from\": \"gpt\", \"value\": \"B\"}}\n");
        var pairs = new List<TextPreferencePair>();
        await foreach (var p in new ShareGptDpoReader(path).ReadAsync()) pairs.Add(p);
        Assert.Equal([new TextPreferencePair("\n\nHuman: Q\n\nAssistant:", " A", " B")], pairs);
    }

    [Theory]
    [InlineData("{\"conversations\": [{\"from\": \"human\", \"value\": \"Q\"}], \"chosen\": {\"from\": \"gpt\", \"value\": \"A\"}}", 4, "missing field 'rejected'")]
    [InlineData("{\"conversations\": [{\"from\": \"robot\", \"value\": \"Q\"}], \"chosen\": {\"from\": \"gpt\", \"value\": \"A\"}, \"rejected\": {\"from\": \"gpt\", \"value\": \"B\"}}", 4, "unknown role 'robot'")]
    [InlineData("{\"conversations\": [{\"from\": \"human\", \"value\": 5}], \"chosen\": {\"from\": \"gpt\", \"value\": \"A\"}, \"rejected\": {\"from\": \"gpt\", \"value\": \"B\"}}", 4, "conversations[0].value")]
    [InlineData("{\"conversations\": [{\"from\": \"human\", \"value\": \"Q\"}], \"chosen\": {\"from\": \"gpt\", \"value\": \"A\"}, \"rejected\": {\"from\": \"gpt\", \"value\": \"B\" }", 5, "not valid JSON")]
    public void Malformed_array_element_fails_naming_the_line_it_starts_on(string badElement, long expectedLine, string expected)
    {
        using var temp = new TempFiles();
        const string good = "{\"conversations\": [{\"from\": \"human\", \"value\": \"Q\"}],\n \"chosen\": {\"from\": \"gpt\", \"value\": \"A\"}, \"rejected\": {\"from\": \"gpt\", \"value\": \"B\"}}";
        // Line 1 '[', lines 2-3 the good element, line 4 the bad one (the truncated one fails at the end: line 5).
        var path = temp.Write("bad.json", "[\n" + good + ",\n" + badElement + "\n]\n");

        var error = Assert.Throws<DatasetFormatException>(() => new ShareGptDpoReader(path).Read().ToList());

        Assert.Equal(path, error.File);
        Assert.Equal(expectedLine, error.Line);
        Assert.Contains(expected, error.Message);
    }
}
