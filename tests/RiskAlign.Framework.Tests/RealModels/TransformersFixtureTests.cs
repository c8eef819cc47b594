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
    public void A_checkpoint_saved_by_transformers_gives_transformers_logits(string name, Type modelType)
    {
        var expected = Expected(name);
        long[] ids = expected.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        float[][] rows = expected.GetProperty("logits").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(x => x.GetSingle()).ToArray()).ToArray();
        using var model = ModelLoader.Load(Fixture(name), CPU);
        Assert.IsType(modelType, model);
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
