using System.Text.Json;
using RiskAlign.Framework.Data;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// The data of a <see cref="TaskWorld"/> as a cache entry holds it (<c>world.json</c>): pairs, evaluation prompts and
/// seed, statistics; the fine-tuned reference's weights (<c>reference.bin</c>) where the build changed them; and what
/// the task saved besides (a trained classifier). A task's restore turns it back into a world with the cheap parts
/// (tokenizer, reward functions, the pretrained model the weights go into) loaded again from its settings.
/// </summary>
public sealed class StoredTaskBuild
{
    private const string WorldFile = "world.json";
    private const string ReferenceFile = "reference.bin";

    private StoredTaskBuild(string folder, WorldData data)
    {
        Folder = folder;
        Data = data;
    }

    /// <summary>The cache entry's folder (read only).</summary>
    public string Folder { get; }

    internal WorldData Data { get; }

    /// <summary>Training pairs as built.</summary>
    public PreferencePair[] TrainPairs => Data.TrainPairs;
    /// <summary>Held-out pairs as built.</summary>
    public PreferencePair[] EvalPairs => Data.EvalPairs;
    /// <summary>Evaluation prompts as built.</summary>
    public int[][] EvalPrompts => Data.EvalPrompts;
    /// <summary>Evaluation seed as built.</summary>
    public int EvalSamplingSeed => Data.EvalSamplingSeed;
    /// <summary>Build statistics as built (<c>build/seconds</c> is the original build's time).</summary>
    public IReadOnlyDictionary<string, double> Statistics => Data.Statistics;

    /// <summary>The path of a file the task saved with <see cref="TaskWorld.SaveArtifacts"/>.</summary>
    public string File(string name) => Path.Combine(Folder, name);

    /// <summary>Copies the stored reference weights into <paramref name="model"/> (same architecture and shape, as the
    /// settings that keyed the entry make it) and freezes it; a model the build did not fine-tune is left as it is.</summary>
    public CausalLanguageModel LoadReference(CausalLanguageModel model)
    {
        if (Data.ReferenceFineTuned) model.load(Path.Combine(Folder, ReferenceFile));
        return model.Freeze();
    }

    /// <summary>The world restored from this entry, with the parts a task rebuilds cheaply given.</summary>
    public TaskWorld World(CausalLanguageModel reference) => new()
    {
        Reference = reference, PadTokenId = Data.PadTokenId, TrainPairs = Data.TrainPairs, EvalPairs = Data.EvalPairs,
        DriftMetric = Data.DriftMetric, RewardMetric = Data.RewardMetric, EvalPrompts = Data.EvalPrompts,
        EvalSamplingSeed = Data.EvalSamplingSeed, ResponseLength = Data.ResponseLength, AllowedFrom = Data.AllowedFrom,
        BlockedTokens = Data.BlockedTokens, Statistics = Data.Statistics, ReferenceFineTuned = Data.ReferenceFineTuned,
    };

    /// <summary>Writes <paramref name="world"/> into an entry folder being filled.</summary>
    internal static void Write(string folder, TaskWorld world)
    {
        var data = new WorldData(world.PadTokenId, world.TrainPairs, world.EvalPairs, world.DriftMetric, world.RewardMetric,
            world.EvalPrompts, world.EvalSamplingSeed, world.ResponseLength, world.AllowedFrom, world.BlockedTokens,
            new Dictionary<string, double>(world.Statistics), world.ReferenceFineTuned);
        using (var stream = System.IO.File.Create(Path.Combine(folder, WorldFile)))
            JsonSerializer.Serialize(stream, data, Json);
        if (world.ReferenceFineTuned) world.Reference.save(Path.Combine(folder, ReferenceFile));
        world.SaveArtifacts?.Invoke(folder);
    }

    /// <summary>Reads a verified entry folder.</summary>
    /// <exception cref="InvalidDataException">world.json does not hold a world (a bug or a stale format).</exception>
    internal static StoredTaskBuild Read(string folder)
    {
        using var stream = System.IO.File.OpenRead(Path.Combine(folder, WorldFile));
        var data = JsonSerializer.Deserialize<WorldData>(stream, Json)
            ?? throw new InvalidDataException($"'{Path.Combine(folder, WorldFile)}' holds no task build.");
        return new StoredTaskBuild(folder, data);
    }

    // NaN statistics (for example label agreement when every pair ties) must round-trip.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    internal sealed record WorldData(int PadTokenId, PreferencePair[] TrainPairs, PreferencePair[] EvalPairs, string DriftMetric,
        string RewardMetric, int[][] EvalPrompts, int EvalSamplingSeed, int ResponseLength, int AllowedFrom, int[] BlockedTokens,
        Dictionary<string, double> Statistics, bool ReferenceFineTuned);
}
