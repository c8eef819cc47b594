using RiskAlign.Framework.Tests.Training;

namespace RiskAlign.Framework.Tests.Tasks;

/// <summary>The on-disk task-build cache (TaskBuildStore): a second build is restored from disk with the same world, a
/// changed setting or asset file misses, and a broken entry is detected and rebuilt, never used. Each test has its own
/// cache folder; builds go through <see cref="TaskCatalog.CreateUncached"/>, which skips the in-process cache.</summary>
[Collection(TorchThreadsCollection.Name)]
public sealed class TaskBuildCacheTests : IDisposable
{
    private static readonly Dictionary<string, string> Small = new()
    {
        ["sft_steps"] = "20", ["train_pairs"] = "24", ["eval_pairs"] = "8", ["eval_samples"] = "16", ["d_model"] = "16",
    };

    private readonly string _folder = Directory.CreateTempSubdirectory("riskalign-task-cache-").FullName;
    private readonly List<string> _log = [];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private TaskContext Context(string? assets = null) => new(CPU, assets) { CacheFolder = Path.Combine(_folder, "cache"), Log = _log.Add };

    private PreferenceTask Build(string task, Dictionary<string, string> settings, string? assets = null) =>
        TaskCatalog.CreateUncached(TestTasks.Choice(task, settings), Context(assets));

    private string[] Entries() => Directory.GetDirectories(Path.Combine(_folder, "cache")).Select(Path.GetFileName).ToArray()!;

    [Fact]
    public void The_second_build_is_a_cache_hit_with_the_same_pairs_reference_and_evaluation()
    {
        using var built = Build("synthetic", Small);
        using var restored = Build("synthetic", Small);

        Assert.Contains("built in", _log[0]);
        Assert.Contains("cache hit", _log[1]);
        Assert.Single(Entries());
        AssertSameWorld(built, restored);
    }

    [Fact]
    public void A_changed_setting_misses_the_cache()
    {
        using var a = Build("synthetic", Small);
        using var b = Build("synthetic", new Dictionary<string, string>(Small) { ["seed"] = "2" });

        Assert.All(_log, line => Assert.Contains("built in", line));
        Assert.Equal(2, Entries().Length);
    }

    [Fact]
    public void Another_build_of_the_code_that_builds_tasks_misses_the_cache()
    {
        // An entry outlives nothing but the code that wrote it: another build of these assemblies has other module ids.
        string identity = TaskBuildKey.CodeIdentity;
        foreach (var assembly in new[] { typeof(TaskCatalog), typeof(ShareGptDpoReader), typeof(ModelLoader), typeof(ParameterValue), typeof(torch) }
                     .Select(t => t.Assembly))
            Assert.Contains($"{assembly.GetName().Name}:{assembly.ManifestModule.ModuleVersionId:N}", identity);

        string Key(string code) => TaskBuildKey.Of("synthetic", "{}", CPU, [], code);
        Assert.Equal(TaskBuildKey.Of("synthetic", "{}", CPU, []), Key(identity));
        Assert.NotEqual(Key(identity), Key(identity.Replace(typeof(TaskCatalog).Assembly.ManifestModule.ModuleVersionId.ToString("N"), Guid.NewGuid().ToString("N"))));
    }

    [Fact]
    public void A_changed_asset_file_misses_the_cache()
    {
        // A private assets folder with the files stories-sentiment reads, one of which then changes.
        var assets = Path.Combine(_folder, "assets");
        var shared = AssetLocator.FindAssetsFolder();
        foreach (var file in new[] { "models/stories260k/stories260K.bin", "models/stories260k/tok512.bin", VaderReward.AssetPath, AfinnReward.AssetPath })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(assets, file))!);
            File.Copy(Path.Combine(shared, file), Path.Combine(assets, file));
        }
        var settings = new Dictionary<string, string>
        {
            ["train_pairs"] = "8", ["eval_pairs"] = "4", ["eval_samples"] = "4", ["prompt_length"] = "4", ["response_length"] = "6",
        };
        using (Build(StoriesSentimentTask.TaskName, settings, assets)) { }
        using (Build(StoriesSentimentTask.TaskName, settings, assets)) { }
        File.AppendAllText(Path.Combine(assets, VaderReward.AssetPath), "zzqqxx\t1.5\t0.5\t[1, 2]\n");
        using (Build(StoriesSentimentTask.TaskName, settings, assets)) { }

        Assert.Equal(3, _log.Count);
        Assert.Contains("built in", _log[0]);
        Assert.Contains("cache hit", _log[1]);
        Assert.Contains("built in", _log[2]);
        Assert.Equal(2, Entries().Length);
    }

    [Theory]
    [InlineData("truncate", "bytes, expected")]
    [InlineData("flip", "does not match its checksum")]
    [InlineData("delete", "is missing")]
    [InlineData("unfinished", "no manifest")]
    public void A_broken_entry_is_detected_and_rebuilt_never_used(string damage, string said)
    {
        using var built = Build("synthetic", Small);
        var entry = Path.Combine(_folder, "cache", Entries().Single());
        var weights = Path.Combine(entry, "reference.bin");
        switch (damage)
        {
            case "truncate":
                using (var stream = File.OpenWrite(weights)) stream.SetLength(stream.Length / 2);
                break;
            case "flip":
                var bytes = File.ReadAllBytes(weights);
                bytes[^5] ^= 0x10;
                File.WriteAllBytes(weights, bytes);
                break;
            case "delete":
                File.Delete(Path.Combine(entry, "world.json"));
                break;
            case "unfinished":
                File.Delete(Path.Combine(entry, "manifest.json"));
                break;
        }

        using var rebuilt = Build("synthetic", Small);
        using var restored = Build("synthetic", Small);

        Assert.Contains("is broken", _log[1]);
        Assert.Contains(said, _log[1]);
        Assert.Contains("built in", _log[2]);
        Assert.Contains("cache hit", _log[3]);
        AssertSameWorld(built, rebuilt);
        AssertSameWorld(built, restored);
    }

    [Fact]
    public void Emotion_shift_restored_from_the_cache_has_the_fine_tuned_reference_and_classifier_of_its_build()
    {
        var small = new Dictionary<string, string>
        {
            ["train_pairs"] = "8", ["eval_pairs"] = "4", ["eval_samples"] = "8", ["response_length"] = "6", ["seed"] = "2",
            ["sft_steps"] = "5", ["sft_batch_size"] = "4", ["classifier_train_examples"] = "800", ["classifier_epochs"] = "1",
            ["eval_alphas"] = "0, 1",
        };
        using var built = Build(EmotionShiftTask.TaskName, small);
        using var restored = Build(EmotionShiftTask.TaskName, small);

        Assert.Contains("cache hit", _log[1]);
        AssertSameWorld(built, restored); // the evaluation scores with the classifier, so equal metrics need the same one
        Assert.Equal(built.BuildStatistics["classifier/test_accuracy"], restored.BuildStatistics["classifier/test_accuracy"]);
    }

    // Same pairs, prompts and seed; bit-identical reference logits; the same evaluation of the reference itself.
    private static void AssertSameWorld(PreferenceTask a, PreferenceTask b)
    {
        Assert.Equal(Flatten(a.TrainPairs), Flatten(b.TrainPairs));
        Assert.Equal(Flatten(a.EvalPairs), Flatten(b.EvalPairs));
        Assert.Equal(a.World.EvalPrompts.SelectMany(p => p), b.World.EvalPrompts.SelectMany(p => p));
        Assert.Equal(a.World.EvalSamplingSeed, b.World.EvalSamplingSeed);
        Assert.Equal((a.World.AllowedFrom, a.World.PadTokenId, a.World.ResponseLength), (b.World.AllowedFrom, b.World.PadTokenId, b.World.ResponseLength));
        using (no_grad())
        {
            var sequence = a.TrainPairs[0].Prompt.Concat(a.TrainPairs[0].Chosen).Select(t => (long)t).ToArray();
            using var ids = tensor(sequence, [1, sequence.Length]);
            using var la = a.Reference.Forward(ids);
            using var lb = b.Reference.Forward(ids);
            Assert.True(la.allclose(lb, rtol: 0, atol: 0), "the restored reference's logits differ from the built one's");
        }
        Assert.Equal(a.Evaluate(a.Reference, default), b.Evaluate(b.Reference, default));
    }

    private static IEnumerable<int> Flatten(IEnumerable<PreferencePair> pairs) => pairs.SelectMany(p => p.Prompt.Concat(p.Chosen).Concat(p.Rejected));
}
