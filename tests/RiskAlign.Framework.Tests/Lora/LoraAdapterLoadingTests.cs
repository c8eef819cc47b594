using System.Text.Json.Nodes;
using RiskAlign.Framework.Models.Lora;
using RiskAlign.Framework.Tests.RealModels;
using RiskAlign.Framework.Tests.Training;

namespace RiskAlign.Framework.Tests.Lora;

/// <summary>A policy saved as a PEFT adapter alone reads back through <see cref="ModelLoader"/> as its base with the
/// adapter merged. The expected logits are the in-memory LoRA model's own forward (adapters applied on the fly) and the
/// merged folder's (written by the existing merge); bad adapters fail with one line naming what is wrong.</summary>
public sealed class LoraAdapterLoadingTests(Stories260K assets) : IClassFixture<Stories260K>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("riskalign-lora-load-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly long[] Ids = [1, 403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315];

    private static LoraModel TrainedLooking(CausalLanguageModel baseModel, params string[] targets)
    {
        var lora = LoraModel.Wrap(baseModel, new LoraSpec(4, 8, 0.1, targets), seed: 1);
        manual_seed(2);
        using (no_grad()) foreach (var adapter in lora.Adapters) adapter.B.normal_(0, 0.2); // as if trained: B ≠ 0
        lora.eval();
        return lora;
    }

    /// <summary>Largest gap between the two models' logits on <paramref name="ids"/>, with the logits' size (float32
    /// rounding of W + ΔW against Wx + ΔWx is relative to it).</summary>
    private static (double Gap, double Scale) Gap(CausalLanguageModel actual, CausalLanguageModel expected, long[] ids)
    {
        using var _ = no_grad();
        using var input = tensor(ids, [1, ids.Length]);
        using var want = expected.Forward(input);
        using var got = actual.Forward(input);
        return ((got - want).abs().max().item<float>(), Math.Max(1, want.abs().max().item<float>()));
    }

    private string SavedAdapter(LoraModel lora, string? basePath, string name = "adapter")
    {
        var path = Path.Combine(folder, name);
        PolicySaver.Save(lora, path, null, LoraSaveForm.Adapter, basePath);
        return path;
    }

    [Fact]
    public void An_adapter_on_a_llama2c_base_reloads_with_the_lora_models_logits_and_the_merged_folders()
    {
        // stories260K's q/k rows are interleaved; the adapter stores them half-split (as the merged folder does), so
        // this also proves the reader undoes the writer's permutation.
        using var lora = TrainedLooking(assets.Model, "wq", "wk", "wv", "w3");
        var adapter = SavedAdapter(lora, assets.ModelPath);
        var merged = Path.Combine(folder, "merged");
        PolicySaver.Save(lora, merged, null);
        using var reloaded = ModelLoader.Load(adapter);
        using var reloadedMerged = ModelLoader.Load(merged);
        var (gap, scale) = Gap(reloaded, lora, Ids);
        Assert.True(gap < 1e-5 * scale, $"adapter folder vs LoRA model: {gap} (logits up to {scale})");
        (gap, scale) = Gap(reloaded, reloadedMerged, Ids);
        Assert.True(gap < 1e-5 * scale, $"adapter folder vs merged folder: {gap} (logits up to {scale})");
        var (moved, _) = Gap(reloaded, assets.Model, Ids);
        Assert.True(moved > 1e-3, "the adapter changed nothing, so the comparison proves nothing");
        Assert.False(reloaded.training);
        // The shared base was not touched by the merge.
        using var fresh = Llama2cCheckpoint.Load(assets.ModelPath);
        var (baseGap, _) = Gap(lora.BaseModel, fresh, Ids);
        Assert.Equal(0, baseGap);
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("llama")]
    [InlineData("gpt_neox")]
    public void An_adapter_on_a_Hugging_Face_base_named_relative_to_the_adapter_folder_reloads(string architecture)
    {
        manual_seed(5);
        CausalLanguageModel source = architecture switch
        {
            "gpt2" => new Gpt2Model(new Gpt2Config(Dim: 16, Layers: 2, Heads: 2, VocabularySize: 500, MaxSequenceLength: 32, InnerDim: 32)),
            "gpt_neox" => new GptNeoXModel(new GptNeoXConfig(Dim: 24, Layers: 2, Heads: 2, InnerDim: 48, VocabularySize: 500, MaxSequenceLength: 32, RotaryPct: 0.5)),
            _ => assets.Model.DeepCopy(),
        };
        var basePath = Path.Combine(folder, "base");
        using (source) HuggingFaceCheckpointWriter.Save(source, basePath);
        using var baseModel = ModelLoader.Load(basePath);
        using var lora = TrainedLooking(baseModel, LoraModel.LinearLayers(baseModel).Select(l => l.Name[(l.Name.LastIndexOf('.') + 1)..]).Distinct().ToArray());
        var adapter = SavedAdapter(lora, basePath);
        SetConfig(adapter, config => config["base_model_name_or_path"] = "../base"); // the rule: relative to the adapter folder
        using var reloaded = ModelLoader.Load(Path.Combine(adapter, "adapter_config.json"));
        var ids = Ids.Select(i => i % 500).ToArray();
        var (gap, scale) = Gap(reloaded, lora, ids);
        Assert.True(gap < 1e-5 * scale, $"{architecture}: adapter folder vs LoRA model: {gap} (logits up to {scale})");
        var (moved, _) = Gap(reloaded, baseModel, ids);
        Assert.True(moved > 1e-3, "the adapter changed nothing, so the comparison proves nothing");
    }

    [Fact]
    public void A_trial_saved_as_an_adapter_reloads_as_the_same_policy_as_its_merged_save()
    {
        // Same seed, same trial: the one saved merged and the one saved as an adapter trained the same policy.
        var stories = new Dictionary<string, string>
        {
            ["model"] = "models/stories260k/stories260K.bin", ["train_pairs"] = "16", ["eval_pairs"] = "8", ["eval_samples"] = "8",
            ["prompt_length"] = "4", ["response_length"] = "6",
        };
        TrialResult Run(LoraSaveForm form, string saveFolder) => TrialExecutor.Run(TestTrials.Trial(new TrainingSettings
        {
            Steps = 2, BatchSize = 4, LearningRate = 1e-2, EvalEvery = 2, Save = TrialSave.Last, SaveFolder = saveFolder,
            Lora = new LoraSettings { Rank = 2, Alpha = 4, TargetModules = ["wq", "wv", "w2"], SaveForm = form },
        }, stories), TestTrials.Plugins(new TestDpoLoss(), beta: 0.1), TaskContext.Cpu, null, default);
        var asAdapter = Run(LoraSaveForm.Adapter, Path.Combine(folder, "adapters"));
        var asMerged = Run(LoraSaveForm.Merged, Path.Combine(folder, "merged"));
        Assert.True(asAdapter.Status == TrialStatus.Completed, asAdapter.Error);
        Assert.True(asMerged.Status == TrialStatus.Completed, asMerged.Error);
        Assert.True(File.Exists(Path.Combine(asAdapter.SavedModel!, "adapter_config.json")));
        Assert.True(Path.IsPathRooted(LoraAdapterReader.BaseModelPath(asAdapter.SavedModel!)));
        using var fromAdapter = ModelLoader.Load(asAdapter.SavedModel!);
        using var fromMerged = ModelLoader.Load(asMerged.SavedModel!);
        var (gap, scale) = Gap(fromAdapter, fromMerged, Ids);
        Assert.True(gap < 1e-5 * scale, $"adapter folder vs merged folder of the same trial: {gap} (logits up to {scale})");
        var (moved, _) = Gap(fromAdapter, assets.Model, Ids);
        Assert.True(moved > 1e-4, $"training moved nothing ({moved}), so the comparison proves nothing");
    }

    [Fact]
    public void Generate_takes_an_adapter_folder_as_its_model_and_writes_what_the_merged_folder_writes()
    {
        using var lora = TrainedLooking(assets.Model, "wq", "wv", "w2");
        var adapter = Path.Combine(folder, "adapter");
        PolicySaver.Save(lora, adapter, assets.TokenizerPath, LoraSaveForm.Adapter, assets.ModelPath); // tok512.bin copied beside
        var merged = Path.Combine(folder, "merged");
        PolicySaver.Save(lora, merged, assets.TokenizerPath);
        var options = new GenerationOptions { MaxNewTokens = 24 };
        var fromAdapter = TextGenerator.GenerateFromFiles(adapter, Path.Combine(adapter, "tok512.bin"), "Once upon a time", options);
        var fromMerged = TextGenerator.GenerateFromFiles(merged, Path.Combine(merged, "tok512.bin"), "Once upon a time", options);
        var fromBase = TextGenerator.GenerateFromFiles(assets.ModelPath, assets.TokenizerPath, "Once upon a time", options);
        Assert.Equal(fromMerged, fromAdapter);
        Assert.NotEqual(fromBase, fromAdapter); // the adapter changed the greedy text, so the equality above means something
    }

    [Fact]
    public void An_adapter_folder_without_tokenizer_files_uses_its_base_folders_tokenizer()
    {
        manual_seed(6);
        var gpt2 = Path.GetDirectoryName(AssetLocator.Require("tokenizers/gpt2/vocab.json"))!;
        var basePath = Path.Combine(folder, "base");
        using (var source = new Gpt2Model(new Gpt2Config(Dim: 16, Layers: 1, Heads: 2, VocabularySize: 500, MaxSequenceLength: 32, InnerDim: 32)))
            HuggingFaceCheckpointWriter.Save(source, basePath, gpt2);
        using var baseModel = ModelLoader.Load(basePath);
        using var lora = TrainedLooking(baseModel, "c_attn");
        var adapter = SavedAdapter(lora, basePath);
        Assert.False(File.Exists(Path.Combine(adapter, "vocab.json")));
        Assert.Equal([15496, 995], TokenizerLoader.Load(adapter).Encode("Hello world", addBos: false)); // GPT-2's ids, as its own folder gives
    }

    [Fact]
    public void A_missing_base_is_refused_naming_the_paths_tried()
    {
        using var lora = TrainedLooking(assets.Model, "wq");
        var adapter = SavedAdapter(lora, assets.ModelPath);
        SetConfig(adapter, config => config["base_model_name_or_path"] = "no-such-base");
        var error = Assert.Throws<FileNotFoundException>(() => ModelLoader.Load(adapter));
        Assert.Contains("\"no-such-base\" not found", error.Message);
        Assert.Contains(Path.Combine(adapter, "no-such-base"), error.Message);
        Assert.Contains(Path.GetFullPath("no-such-base"), error.Message);
        SetConfig(adapter, config => config.Remove("base_model_name_or_path"));
        Assert.Contains("no \"base_model_name_or_path\"", Assert.Throws<FileNotFoundException>(() => ModelLoader.Load(adapter)).Message);
    }

    [Fact]
    public void An_adapter_whose_base_is_an_adapter_folder_is_refused()
    {
        using var lora = TrainedLooking(assets.Model, "wq");
        var first = SavedAdapter(lora, assets.ModelPath, "first");
        var second = SavedAdapter(lora, first, "second");
        var error = Assert.Throws<NotSupportedException>(() => ModelLoader.Load(second));
        Assert.Contains($"the base '{first}' is itself an adapter folder", error.Message);
    }

    [Fact]
    public void A_tensor_that_matches_no_layer_of_the_base_is_refused_by_name()
    {
        using var lora = TrainedLooking(assets.Model, "wq");
        var adapter = SavedAdapter(lora, assets.ModelPath);
        EditTensors(adapter, t => t["base_model.model.model.layers.0.self_attn.rotary.lora_A.weight"] = zeros(4, 64));
        var error = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(adapter));
        Assert.Contains("tensor 'base_model.model.model.layers.0.self_attn.rotary.lora_A.weight' matches no linear layer", error.Message);
        Assert.Contains("model.layers.0.self_attn.q_proj", error.Message); // the modules there are
    }

    [Fact]
    public void A_tensor_of_the_wrong_shape_is_refused_with_both_shapes()
    {
        using var lora = TrainedLooking(assets.Model, "wq");
        var adapter = SavedAdapter(lora, assets.ModelPath);
        const string name = "base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight";
        EditTensors(adapter, t => t[name] = zeros(48, 4));
        var error = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(adapter));
        Assert.Contains($"tensor '{name}' has shape [48, 4]", error.Message);
        Assert.Contains($"needs [{assets.Model.Config.Dim}, 4]", error.Message);
    }

    [Theory]
    [InlineData("use_dora", "true")]
    [InlineData("use_rslora", "true")]
    [InlineData("bias", "\"lora_only\"")]
    [InlineData("modules_to_save", "[\"lm_head\"]")]
    [InlineData("rank_pattern", "{\"q_proj\": 8}")]
    [InlineData("peft_type", "\"IA3\"")]
    [InlineData("init_lora_weights", "\"pissa_niter_4\"")]
    public void Unsupported_PEFT_settings_are_refused_by_name(string key, string json)
    {
        using var lora = TrainedLooking(assets.Model, "wq");
        var adapter = SavedAdapter(lora, assets.ModelPath);
        SetConfig(adapter, config => config[key] = JsonNode.Parse(json));
        var error = Assert.Throws<NotSupportedException>(() => ModelLoader.Load(adapter));
        Assert.Contains($"\"{key}\"", error.Message);
        Assert.Contains("adapter_config.json", error.Message);
    }

    [Fact]
    public void A_task_build_keyed_on_an_adapter_folder_changes_when_its_base_changes()
    {
        // The model a task reads from an adapter folder is base + adapter, so the build cache must see both.
        var basePath = Path.Combine(folder, "base.bin");
        File.Copy(assets.ModelPath, basePath);
        using var lora = TrainedLooking(assets.Model, "wq");
        var adapter = SavedAdapter(lora, basePath);
        string Key() => TaskBuildKey.Of("synthetic", "{}", CPU, [adapter]);
        string before = Key();
        Assert.Equal(before, Key());
        File.AppendAllText(basePath, "x");
        Assert.NotEqual(before, Key());
    }

    private static void SetConfig(string adapter, Action<JsonObject> edit)
    {
        var path = Path.Combine(adapter, "adapter_config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(config);
        File.WriteAllText(path, config.ToJsonString());
    }

    private static void EditTensors(string adapter, Action<Dictionary<string, Tensor>> edit)
    {
        var path = Path.Combine(adapter, "adapter_model.safetensors");
        var tensors = Safetensors.Load(path);
        edit(tensors);
        Safetensors.Save(path, tensors);
    }
}
