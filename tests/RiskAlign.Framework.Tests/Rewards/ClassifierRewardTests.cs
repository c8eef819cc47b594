using System.Diagnostics;
using Xunit.Abstractions;

namespace RiskAlign.Framework.Tests.Rewards;

[Collection(TorchThreadsCollection.Name)]
public sealed class ClassifierRewardTests(ITestOutputHelper output)
{
    [Fact]
    public void Imdb_classifier_on_a_subset_beats_chance_by_far()
    {
        // Chance is 50% (IMDb test is balanced, Maas et al. 2011); bag-of-words models reach ~85-89% on the full
        // data, so 75% on a 3,000-review training subset (1,000 test reviews) is a loose floor that still fails for a broken model.
        var clock = Stopwatch.StartNew();
        var (classifier, accuracy) = TextClassifiers.TrainImdb(
            options: new BagOfWordsClassifierOptions { VocabularySize = 5000, Epochs = 3, BatchSize = 128, LearningRate = 0.02 },
            maxTrainExamples: 3000, maxTestExamples: 1000);
        using var _ = classifier;
        output.WriteLine($"IMDb subset accuracy {accuracy:P1} in {clock.Elapsed.TotalSeconds:F1} s, vocabulary {classifier.VocabularySize}");
        Assert.InRange(accuracy, 0.75, 1.0);

        var reward = TextClassifiers.PositiveSentiment(classifier);
        Assert.True(reward.Score("A wonderful, moving film with brilliant acting. Loved it.") >
                    reward.Score("A boring, awful film with terrible acting. Hated it."));
    }

    [Fact]
    public void Emotion_classifier_gives_probabilities_and_an_anger_fear_mix()
    {
        // Chance (majority class, joy) is 695/2000 ≈ 35% on the test split; 60% is a loose floor.
        var clock = Stopwatch.StartNew();
        var (classifier, accuracy) = TextClassifiers.TrainEmotion(
            options: new BagOfWordsClassifierOptions { VocabularySize = 5000, Epochs = 3, BatchSize = 256, LearningRate = 0.03 });
        using var _ = classifier;
        output.WriteLine($"emotion test accuracy {accuracy:P1} in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.InRange(accuracy, 0.6, 1.0);

        const string text = "i feel so angry and furious at them, and also scared and terrified";
        var p = classifier.Probabilities(text);
        Assert.Equal(6, p.Length);
        Assert.Equal(1.0, p.Sum(), 6);
        var mixed = TextClassifiers.AngerFear(classifier, 0.25).Score(text);
        Assert.Equal(0.25 * p[EmotionReader.Anger] + 0.75 * p[EmotionReader.Fear], mixed, 12);
        Assert.Equal(p[EmotionReader.Anger], TextClassifiers.AngerFear(classifier, 1).Score(text), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => TextClassifiers.AngerFear(classifier, 1.5));
    }

    [Fact]
    public void Same_seed_gives_the_same_classifier_and_another_seed_a_different_one()
    {
        var examples = EmotionReader.Split("val").Read().ToList(); // 2,000 sentences: enough to train, quick to read
        var options = new BagOfWordsClassifierOptions { VocabularySize = 2000, Epochs = 2, BatchSize = 64, LearningRate = 0.02, Seed = 7 };
        string[] probes = ["i feel so angry at them", "i am scared of the dark", "what a lovely surprise"];
        using var first = BagOfWordsClassifier.Train(examples, EmotionReader.LabelNames.Count, options);
        using var second = BagOfWordsClassifier.Train(examples, EmotionReader.LabelNames.Count, options);
        using var reseeded = BagOfWordsClassifier.Train(examples, EmotionReader.LabelNames.Count, options with { Seed = 8 });

        Assert.Equal(first.Probabilities(probes), second.Probabilities(probes)); // exactly, not approximately
        Assert.NotEqual(first.Probabilities(probes)[0], reseeded.Probabilities(probes)[0]);
    }
}
