using System.IO.Compression;
using System.Text.Json;

namespace RiskAlign.Framework.Tests.Data;

public sealed class HhRlhfReaderTests
{
    /// <summary>Independent count from the raw files: lines, and lines whose chosen and rejected are the same string.</summary>
    private static (int Lines, int Identical) CountRaw()
    {
        int lines = 0, identical = 0;
        foreach (var relative in HhRlhfReader.TestSplitFiles)
        {
            using var gzip = new GZipStream(File.OpenRead(AssetLocator.Require(relative)), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length == 0) continue;
                lines++;
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.GetProperty("chosen").GetString() == doc.RootElement.GetProperty("rejected").GetString())
                    identical++;
            }
        }
        return (lines, identical);
    }

    [Fact]
    public void Test_splits_yield_all_pairs_minus_identical_ones()
    {
        // 8,552 is the published size of the four HH-RLHF test splits (shared/assets/README.md); the identical
        // count comes from reading the raw lines here, independently of the reader.
        var (lines, identical) = CountRaw();
        Assert.Equal(8552, lines);
        Assert.InRange(identical, 1, 100);

        var reader = HhRlhfReader.TestSplits();
        var pairs = reader.Read().ToList();

        Assert.Equal(8552 - identical, pairs.Count);
        Assert.Equal(8552, reader.Statistics.Read);
        Assert.Equal(identical, reader.Statistics.DroppedIdentical);
        Assert.Equal(pairs.Count, reader.Statistics.Kept);
        Assert.All(pairs, p =>
        {
            Assert.EndsWith("\n\nAssistant:", p.Prompt);
            Assert.StartsWith("\n\nHuman:", p.Prompt);
            Assert.NotEqual(p.Chosen, p.Rejected);
        });
        // Pairs where a response itself contains "\n\nAssistant:" are split at the shared prefix (17 found by a
        // one-off scan of these files when this reader was written); they must be few.
        Assert.InRange(reader.Statistics.SplitAtSharedPrefix, 1, 50);
    }

    [Fact]
    public void First_helpful_base_record_splits_at_the_last_assistant_turn()
    {
        // Expected strings: the first line of hh-rlhf/helpful-base-test.jsonl.gz, as read with zcat.
        var reader = new HhRlhfReader(AssetLocator.Require("hh-rlhf/helpful-base-test.jsonl.gz"));
        var first = reader.Read().First();
        Assert.Equal("\n\nHuman: Do you know why turkeys became the official food of thanksgiving?\n\nAssistant:", first.Prompt);
        Assert.StartsWith(" To be honest, I don’t know anything about that.", first.Chosen);
        Assert.EndsWith("particular facts, sorry.", first.Chosen);
        Assert.StartsWith(" I know that the American Indians were the first to celebrate", first.Rejected);
    }

    [Fact]
    public async Task Async_reading_gives_the_same_pairs_as_sync_reading()
    {
        var file = AssetLocator.Require("hh-rlhf/helpful-online-test.jsonl.gz");
        var sync = new HhRlhfReader(file).Read().ToList();
        var asyncPairs = new List<TextPreferencePair>();
        await foreach (var pair in new HhRlhfReader(file).ReadAsync()) asyncPairs.Add(pair);
        Assert.Equal(sync, asyncPairs);
    }

    [Fact]
    public void Plain_and_gzip_files_read_the_same()
    {
        const string content =
            "{\"chosen\": \"\\n\\nHuman: Hi\\n\\nAssistant: Hello!\", \"rejected\": \"\\n\\nHuman: Hi\\n\\nAssistant: Go away.\"}\n" +
            "\n" +
            "{\"chosen\": \"\\n\\nHuman: Hi\\n\\nAssistant: Same\", \"rejected\": \"\\n\\nHuman: Hi\\n\\nAssistant: Same\"}\n";
        using var temp = new TempFiles();
        var plain = new HhRlhfReader(temp.Write("a.jsonl", content));
        var gzip = new HhRlhfReader(temp.WriteGzip("b.jsonl.gz", content));

        var fromPlain = plain.Read().ToList();
        var fromGzip = gzip.Read().ToList();

        Assert.Equal([new TextPreferencePair("\n\nHuman: Hi\n\nAssistant:", " Hello!", " Go away.")], fromPlain);
        Assert.Equal(fromPlain, fromGzip);
        Assert.Equal(2, plain.Statistics.Read);
        Assert.Equal(1, plain.Statistics.DroppedIdentical);
        Assert.Equal(1, plain.Statistics.BlankLines);
    }

    [Fact]
    public void Response_containing_an_assistant_marker_is_split_at_the_shared_prompt()
    {
        var pair = HhRlhfReader.SplitPair(
            "\n\nHuman: Q\n\nAssistant: A\n\nAssistant: B",
            "\n\nHuman: Q\n\nAssistant: C",
            out var agrees);
        Assert.False(agrees);
        Assert.Equal(new TextPreferencePair("\n\nHuman: Q\n\nAssistant:", " A\n\nAssistant: B", " C"), pair);
    }

    [Theory]
    [InlineData("{\"chosen\": \"\\n\\nHuman: a\\n\\nAssistant: b\", \"rejected\": ", "not valid JSON")]
    [InlineData("{\"chosen\": \"\\n\\nHuman: a\\n\\nAssistant: b\"}", "missing field 'rejected'")]
    [InlineData("{\"chosen\": 3, \"rejected\": \"x\"}", "field 'chosen' must be a string")]
    [InlineData("[1, 2]", "expected a JSON object")]
    [InlineData("{\"chosen\": \"\\n\\nHuman: a\", \"rejected\": \"\\n\\nHuman: a\"}", "share a prompt")]
    public void Malformed_line_fails_naming_file_and_line(string badLine, string expected)
    {
        using var temp = new TempFiles();
        var good = "{\"chosen\": \"\\n\\nHuman: a\\n\\nAssistant: b\", \"rejected\": \"\\n\\nHuman: a\\n\\nAssistant: c\"}";
        var path = temp.Write("bad.jsonl", good + "\n" + good + "\n" + badLine + "\n" + good + "\n");
        var reader = new HhRlhfReader(path);

        var error = Assert.Throws<DatasetFormatException>(() => reader.Read().ToList());

        Assert.Equal(path, error.File);
        Assert.Equal(3, error.Line);
        Assert.Contains(expected, error.Message);
        Assert.StartsWith($"{path}:3: ", error.Message);
    }

    [Fact]
    public void Missing_file_names_the_file()
    {
        var error = Assert.Throws<FileNotFoundException>(() => new HhRlhfReader("/nonexistent/x.jsonl.gz").Read().ToList());
        Assert.Contains("/nonexistent/x.jsonl.gz", error.Message);
    }
}
