using RiskAlign.Framework.Rewards;

namespace RiskAlign.Framework.Tasks;

/// <summary>A task's trained reward classifier in its on-disk cache entry: the files it is written to and read from.</summary>
internal static class StoredClassifier
{
    private const string VocabularyFile = "classifier.json";
    private const string WeightsFile = "classifier.bin";

    /// <summary>The <see cref="TaskWorld.SaveArtifacts"/> that writes <paramref name="classifier"/> into an entry folder.</summary>
    public static Action<string> Saver(BagOfWordsClassifier classifier) =>
        folder => classifier.Save(Path.Combine(folder, VocabularyFile), Path.Combine(folder, WeightsFile));

    /// <summary>The classifier an entry holds.</summary>
    public static BagOfWordsClassifier Load(StoredTaskBuild stored) => BagOfWordsClassifier.Load(stored.File(VocabularyFile), stored.File(WeightsFile));
}
