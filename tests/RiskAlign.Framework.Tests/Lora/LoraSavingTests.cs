using RiskAlign.Framework.Models.Lora;
using RiskAlign.Framework.Saving;
using RiskAlign.Framework.Tests.RealModels;

namespace RiskAlign.Framework.Tests.Lora;

/// <summary>LoRA on stories260K (a real pretrained Llama) saved as Hugging Face folders: merged weights reload through
/// <see cref="ModelLoader"/> with the LoRA model's own logits (the expected values), the adapter alone in PEFT's layout.</summary>
public sealed class LoraSavingTests(Stories260K assets) : IClassFixture<Stories260K>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("riskalign-lora-save-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly long[] Ids = [1, 403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315];

    private LoraModel TrainedLookingLora(params string[] targets)
    {
        var lora = LoraModel.Wrap(assets.Model, new LoraSpec(4, 8, 0.1, targets), seed: 1);
        manual_seed(2);
        using (no_grad()) foreach (var adapter in lora.Adapters) adapter.B.normal_(0, 0.2); // as if trained: B ≠ 0
        lora.eval();
        return lora;
    }

    [Fact]
    public void Hugging_Face_names_select_the_same_layers_and_the_merged_model_computes_what_the_adapters_do()
    {
        using var lora = TrainedLookingLora("q_proj", "v_proj", "down_proj");
        Assert.Equal(3 * assets.Model.Config.Layers, lora.AdaptedLayers.Count);
        Assert.All(lora.AdaptedLayers, name => Assert.Matches(@"^layers\.\d+\.(attention\.wq|attention\.wv|feed_forward\.w2)$", name));
        using var _ = no_grad();
        using var input = tensor(Ids, [1, Ids.Length]);
        using var adapted = lora.Forward(input);
        using var merged = lora.Merge();
        // float32 rounding of W + ΔW against Wx + ΔWx: relative to the logits' size
        double scale = Math.Max(1, adapted.abs().max().item<float>());
        double gap = (merged.Forward(input) - adapted).abs().max().item<float>();
        Assert.True(gap < 1e-5 * scale, $"merged vs adapters: {gap} (logits up to {scale})");
        double moved = (assets.Model.Forward(input) - adapted).abs().max().item<float>();
        Assert.True(moved > 1e-3, "the adapters changed nothing, so the comparison proves nothing");
    }

    [Fact]
    public void A_merged_lora_policy_saves_as_a_folder_that_reloads_with_the_same_logits_and_its_tokenizer()
    {
        using var lora = TrainedLookingLora("wq", "wk", "wv", "wo", "w1", "w2", "w3");
        PolicySaver.Save(lora, folder, assets.TokenizerPath);
        Assert.True(File.Exists(Path.Combine(folder, "model.safetensors")));
        Assert.Contains("\"model_type\": \"llama\"", File.ReadAllText(Path.Combine(folder, "config.json")));
        using var _ = no_grad();
        using var input = tensor(Ids, [1, Ids.Length]);
        using var reloaded = ModelLoader.Load(folder);
        using var expected = lora.Forward(input);
        double scale = Math.Max(1, expected.abs().max().item<float>()); // float32 rounding of the merge, relative to the logits
        double gap = (reloaded.Forward(input) - expected).abs().max().item<float>();
        Assert.True(gap < 1e-5 * scale, $"reloaded merged policy vs LoRA policy: {gap} (logits up to {scale})");
        var tokenizer = TokenizerLoader.Load(Path.Combine(folder, Path.GetFileName(assets.TokenizerPath)));
        Assert.Equal(assets.Tokenizer.Encode("Once upon a time", addBos: true), tokenizer.Encode("Once upon a time", addBos: true));
    }

    [Fact]
    public void The_adapter_alone_is_written_in_PEFT_layout_and_applies_to_the_saved_base()
    {
        using var lora = TrainedLookingLora("wq", "w3");
        PolicySaver.Save(lora, folder, null, LoraSaveForm.Adapter, assets.ModelPath);
        var config = File.ReadAllText(Path.Combine(folder, "adapter_config.json"));
        Assert.Contains("\"peft_type\": \"LORA\"", config);
        Assert.Contains("\"r\": 4", config);
        Assert.Contains("\"q_proj\"", config);
        Assert.Contains("\"up_proj\"", config);
        var tensors = Safetensors.Load(Path.Combine(folder, "adapter_model.safetensors"));
        Assert.Equal(4 * assets.Model.Config.Layers, tensors.Count);
        var a = tensors["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"];
        var b = tensors["base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"];
        Assert.Equal([4L, assets.Model.Config.Dim], a.shape);
        Assert.Equal([(long)assets.Model.Config.Dim, 4L], b.shape);
        // Applied as PEFT does (W + α/r·B·A) to the base saved by the same writer, it gives the merged model's q_proj.
        var baseFolder = Path.Combine(folder, "base");
        HuggingFaceCheckpointWriter.Save(assets.Model, baseFolder);
        var mergedFolder = Path.Combine(folder, "merged");
        PolicySaver.Save(lora, mergedFolder, null);
        var baseQ = Safetensors.Load(Path.Combine(baseFolder, "model.safetensors"))["model.layers.0.self_attn.q_proj.weight"];
        var mergedQ = Safetensors.Load(Path.Combine(mergedFolder, "model.safetensors"))["model.layers.0.self_attn.q_proj.weight"];
        double gap = (baseQ + 2.0 * b.matmul(a) - mergedQ).abs().max().item<float>();
        Assert.True(gap < 1e-6, $"PEFT-style merge of the written adapter vs the merged folder: {gap}");
    }

    [Fact]
    public void Best_keeps_the_saved_policies_of_the_front_and_deletes_the_others()
    {
        string Saved(int index) { var path = Path.Combine(folder, $"t-{index}"); Directory.CreateDirectory(path); return path; }
        TrialResult Result(int index, double drift, double reward) => new()
        {
            Trial = Training.TestTrials.Trial(new TrainingSettings { Save = TrialSave.Best }, index: index),
            Status = TrialStatus.Completed, DriftMetric = "d", RewardMetric = "r", SavedModel = Saved(index),
            Evaluations = [new EvaluationPoint(1, new Dictionary<string, double> { ["d"] = drift, ["r"] = reward })],
        };
        // (drift, reward): 0 and 2 are on the front; 1 is dominated by 0 (more drift, less reward).
        var pruned = BestPolicies.Prune([Result(0, 0.1, 0.9), Result(1, 0.5, 0.2), Result(2, 0.8, 1.5)]);
        Assert.NotNull(pruned[0].SavedModel);
        Assert.Null(pruned[1].SavedModel);
        Assert.NotNull(pruned[2].SavedModel);
        Assert.True(Directory.Exists(Path.Combine(folder, "t-0")));
        Assert.False(Directory.Exists(Path.Combine(folder, "t-1")));
        using var csv = new StringWriter();
        TrialsCsvWriter.Write(csv, pruned);
        var lines = csv.ToString().Split("\r\n");
        Assert.Contains(Path.Combine(folder, "t-0"), lines[1]);
        Assert.DoesNotContain(Path.Combine(folder, "t-1"), lines[2]);
    }
}
