using System.Text.Json;
using Xunit.Abstractions;

namespace RiskAlign.Framework.Tests.RealModels;

/// <summary>
/// Checkpoints written by transformers itself (<c>save_pretrained</c> of its own GPT2LMHeadModel, GPTNeoXForCausalLM,
/// LlamaForCausalLM, Qwen2ForCausalLM and MistralForCausalLM with seeded random weights) and the logits / greedy
/// <c>generate</c> output transformers computed for them: Fixtures/transformers/*/expected.json, made by
/// Fixtures/transformers/make_fixtures.py with transformers 4.44.2 on CPU PyTorch 1.13 (README.md there). RiskAlign
/// loads each folder through <see cref="ModelLoader"/> and must reproduce those numbers.
/// </summary>
public sealed class TransformersFixtureTests(ITestOutputHelper output)
{
    /// <summary>Largest allowed |RiskAlign − transformers| over every logit: float32 on both sides, only the order of
    /// the sums differs (libtorch 2.10 here, PyTorch 1.13 there). Logits are of order 1–10.</summary>
    private const double Tolerance = 1e-5;

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "transformers", name);

    private static JsonElement Expected(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixture(name), "expected.json"))).RootElement;

    [Theory]
    [InlineData("gpt2", typeof(Gpt2Model))]
    [InlineData("gpt_neox-rotary0.25-parallel", typeof(GptNeoXModel))]
    [InlineData("gpt_neox-rotary0.25-sequential", typeof(GptNeoXModel))]
    [InlineData("gpt_neox-rotary1.0-parallel", typeof(GptNeoXModel))]
    [InlineData("llama-gqa-theta500000", typeof(LlamaModel))]
    [InlineData("llama-gqa-llama3-scaling", typeof(LlamaModel))]
    [InlineData("llama-gqa-linear-scaling", typeof(LlamaModel))]
    [InlineData("qwen2-untied", typeof(LlamaModel))]
    [InlineData("qwen2-tied", typeof(LlamaModel))]
    [InlineData("mistral-sliding-window6", typeof(LlamaModel))]
    [InlineData("gpt_neox-rotary1.0-linear-scaling", typeof(GptNeoXModel))]
    public void A_checkpoint_saved_by_transformers_gives_transformers_logits(string name, Type modelType)
    {
        using var model = ModelLoader.Load(Fixture(name), CPU);
        Assert.IsType(modelType, model);
        AssertTransformersLogits(name, model);
    }

    public static TheoryData<string> LogitFixtures => new()
    {
        "gpt2", "gpt_neox-rotary0.25-parallel", "gpt_neox-rotary0.25-sequential", "gpt_neox-rotary1.0-parallel",
        "gpt_neox-rotary1.0-linear-scaling", "llama-gqa-theta500000", "llama-gqa-llama3-scaling", "llama-gqa-linear-scaling",
        "qwen2-untied", "qwen2-tied", "mistral-sliding-window6",
    };

    /// <summary>
    /// RiskAlign's <see cref="HuggingFaceCheckpointWriter"/> writes back exactly the tensors transformers wrote (same names,
    /// shapes and values, nothing added), and the folder reloads with transformers' logits. With
    /// <c>RISKALIGN_KEEP_RESAVED=DIR</c> the folders are kept under DIR, for Fixtures/transformers/check_resaved.py to load
    /// them with transformers itself.
    /// </summary>
    [Theory]
    [MemberData(nameof(LogitFixtures))]
    public void Saving_a_transformers_checkpoint_again_writes_the_same_tensors_and_reloads_with_its_logits(string name)
    {
        var keep = Environment.GetEnvironmentVariable("RISKALIGN_KEEP_RESAVED");
        var folder = string.IsNullOrEmpty(keep) ? Directory.CreateTempSubdirectory("riskalign-resaved-").FullName : Path.Combine(keep, name);
        try
        {
            using (var model = ModelLoader.Load(Fixture(name), CPU)) HuggingFaceCheckpointWriter.Save(model, folder);
            var original = Safetensors.Load(Path.Combine(Fixture(name), "model.safetensors"));
            var resaved = Safetensors.Load(Path.Combine(folder, "model.safetensors"));
            Assert.Equal(original.Keys.Order(StringComparer.Ordinal), resaved.Keys.Order(StringComparer.Ordinal));
            foreach (var (tensorName, value) in original)
                Assert.True(value.shape.SequenceEqual(resaved[tensorName].shape) && value.equal(resaved[tensorName]).all().item<bool>(),
                    $"{name}: {tensorName} differs from what transformers wrote");
            using var reloaded = ModelLoader.Load(folder, CPU);
            AssertTransformersLogits(name, reloaded);
        }
        finally
        {
            if (string.IsNullOrEmpty(keep)) Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("gpt_neox-rotary1.0-linear-scaling", """{"type":"linear","factor":2.0}""")]
    [InlineData("llama-gqa-llama3-scaling", """{"rope_type":"llama3","factor":8.0,"low_freq_factor":1.0,"high_freq_factor":4.0,"original_max_position_embeddings":16}""")]
    public void Saved_rope_scaling_has_the_keys_and_float_types_transformers_checks(string name, string rawScaling)
    {
        // transformers 4.44's GPT-NeoX takes rope_scaling only as exactly {"type", "factor"} with factor a Python float
        // (it refused {"rope_type": "linear", "factor": 2}); its rope validation warns about int llama3 factors
        var folder = Directory.CreateTempSubdirectory("riskalign-resaved-").FullName;
        try
        {
            using (var model = ModelLoader.Load(Fixture(name), CPU)) HuggingFaceCheckpointWriter.Save(model, folder);
            using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json")));
            var scaling = config.RootElement.GetProperty("rope_scaling");
            Assert.Equal(rawScaling, string.Concat(JsonSerializer.Serialize(scaling).Where(c => !char.IsWhiteSpace(c))));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private void AssertTransformersLogits(string name, CausalLanguageModel model)
    {
        var expected = Expected(name);
        long[] ids = expected.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        float[][] rows = expected.GetProperty("logits").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(x => x.GetSingle()).ToArray()).ToArray();
        using var _ = no_grad();
        using var reference = tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]); // [T, V]
        using var logits = model.Forward(tensor(ids, [1, ids.Length]))[0]; // [T, V]
        double maxDiff = (logits - reference).abs().max().item<float>();
        output.WriteLine($"{name}: max |RiskAlign − transformers| = {maxDiff:g3}");
        Assert.True(maxDiff < Tolerance, $"{name}: max |RiskAlign − transformers| logit difference {maxDiff:g3} (tolerance {Tolerance:g1})");
    }

    [AssetTheory("tokenizers/gpt2/vocab.json")]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Greedy_generate_on_a_GPT2_folder_gives_transformers_ids_and_text(int index)
    {
        // transformers' model.generate(do_sample=False, max_new_tokens=20) with its slow GPT2Tokenizer (no BOS added)
        const string name = "gpt2-greedy-full-vocab";
        var testCase = Expected(name).GetProperty("cases")[index];
        string prompt = testCase.GetProperty("prompt").GetString()!;
        int[] Ints(string key) => testCase.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var gpt2 = Path.GetDirectoryName(AssetLocator.Require("tokenizers/gpt2/vocab.json"))!;
        var options = new GenerationOptions { MaxNewTokens = 20 };

        var tokenizer = TokenizerLoader.Load(gpt2);
        var promptIds = tokenizer.Encode(prompt, addBos: tokenizer.AddBosToken);
        Assert.Equal(Ints("prompt_ids"), promptIds);
        using (var model = ModelLoader.Load(Fixture(name), CPU))
            Assert.Equal(Ints("new_ids"), TextGenerator.GenerateIds(model, promptIds, options, tokenizer.StopIds));

        // what `SweepClient generate --model <folder> --tokenizer <gpt2 folder> --prompt <prompt> --max-new-tokens 20` prints
        string printed = prompt + TextGenerator.GenerateFromFiles(Fixture(name), gpt2, prompt, options);
        Assert.Equal(testCase.GetProperty("text").GetString(), printed);
    }
}
