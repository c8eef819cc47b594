namespace RiskAlign.Framework.Tests.Data;

public sealed class LabeledReaderTests
{
    [Fact]
    public void Imdb_test_split_has_25000_balanced_reviews()
    {
        // 25,000 reviews, 12,500 of each label: Maas et al. 2011 (and shared/assets/README.md).
        var reviews = ImdbReader.Test().Read().ToList();
        Assert.Equal(25000, reviews.Count);
        Assert.Equal(12500, reviews.Count(r => r.Label == ImdbReader.Positive));
        Assert.Equal(12500, reviews.Count(r => r.Label == ImdbReader.Negative));
        // First line of imdb-test.jsonl.gz (zcat | head -1): id 0, "neg".
        Assert.Equal(ImdbReader.Negative, reviews[0].Label);
        Assert.StartsWith("Once again Mr. Costner has dragged out a movie", reviews[0].Text);
    }

    [Fact]
    public void Imdb_bad_label_fails_naming_file_and_line()
    {
        using var temp = new TempFiles();
        var path = temp.Write("i.jsonl", "{\"label\": \"pos\", \"text\": \"ok\"}\n{\"label\": \"meh\", \"text\": \"x\"}\n");
        var error = Assert.Throws<DatasetFormatException>(() => new ImdbReader(path).Read().ToList());
        Assert.Equal(2, error.Line);
        Assert.Contains("'label' must be \"pos\" or \"neg\"", error.Message);
    }

    [Fact]
    public void Emotion_splits_have_their_published_sizes_and_label_counts()
    {
        // Sizes 16,000/2,000/2,000: dair-ai "emotion" (shared/assets/README.md). Train label counts from
        // `cut -d';' -f2 emotion/train.txt | sort | uniq -c` on the asset.
        var train = EmotionReader.Split("train").Read().ToList();
        Assert.Equal(16000, train.Count);
        Assert.Equal(2000, EmotionReader.Split("val").Read().Count());
        Assert.Equal(2000, EmotionReader.Split("test").Read().Count());
        int Count(int label) => train.Count(t => t.Label == label);
        Assert.Equal(4666, Count(EmotionReader.Sadness));
        Assert.Equal(5362, Count(EmotionReader.Joy));
        Assert.Equal(1304, Count(EmotionReader.Love));
        Assert.Equal(2159, Count(EmotionReader.Anger));
        Assert.Equal(1937, Count(EmotionReader.Fear));
        Assert.Equal(572, Count(EmotionReader.Surprise));
        Assert.Equal(new LabeledText("i didnt feel humiliated", EmotionReader.Sadness), train[0]);
    }

    [Fact]
    public void Emotion_unknown_label_fails_naming_the_line_and_the_header_is_optional()
    {
        using var temp = new TempFiles();
        var bad = temp.Write("e.txt", "text;label_name\ni am glad;joy\ni am bored;boredom\n");
        var error = Assert.Throws<DatasetFormatException>(() => new EmotionReader(bad).Read().ToList());
        Assert.Equal(3, error.Line);
        Assert.Contains("unknown emotion label 'boredom'", error.Message);

        // The original dair-ai release has no header line: its first line is a record.
        var headless = temp.Write("h.txt", "i am glad;joy\ni am scared;4\n");
        Assert.Equal([new LabeledText("i am glad", EmotionReader.Joy), new LabeledText("i am scared", EmotionReader.Fear)],
            new EmotionReader(headless).Read().ToList());
        var noSeparator = temp.Write("n.txt", "i am glad\n");
        var missing = Assert.Throws<DatasetFormatException>(() => new EmotionReader(noSeparator).Read().ToList());
        Assert.Equal(1, missing.Line);
        Assert.Contains("expected 'text;label'", missing.Message);
    }
}
