using RiskAlign.Framework.Tests.Tasks;

namespace RiskAlign.Framework.Tests.Tokenizers;

/// <summary>
/// tokenizer_config.json's <c>add_eos_token</c>: EOS follows complete texts (preference responses, fine-tuning
/// documents), never a prompt that generation or a task continues. Expected ids are GPT-2's (vocab.json: "Hello" 15496,
/// " world" 995, "&lt;|endoftext|&gt;" 50256).
/// </summary>
public sealed class EosConventionTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("riskalign-eos-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Gpt2Folder(bool addEos)
    {
        var source = Path.GetDirectoryName(AssetLocator.Require("tokenizers/gpt2/vocab.json"))!;
        var target = Path.Combine(folder, addEos ? "eos" : "plain");
        Directory.CreateDirectory(target);
        foreach (var name in new[] { "vocab.json", "merges.txt" }) File.Copy(Path.Combine(source, name), Path.Combine(target, name));
        if (addEos) File.WriteAllText(Path.Combine(target, "tokenizer_config.json"), """{"add_eos_token": true, "eos_token": "<|endoftext|>"}""");
        return target;
    }

    [Fact]
    public void Complete_texts_end_with_EOS_and_prompts_do_not_when_add_eos_token_is_set()
    {
        var eos = TokenizerLoader.Load(Gpt2Folder(addEos: true));
        var plain = TokenizerLoader.Load(Gpt2Folder(addEos: false));
        Assert.True(eos.AddEosToken);
        Assert.False(plain.AddEosToken); // GPT-2's default, as transformers'
        Assert.Equal([15496, 995, 50256], eos.EncodeCompleteText("Hello world"));
        Assert.Equal([15496, 995], plain.EncodeCompleteText("Hello world"));
        Assert.Equal([15496, 995], eos.Encode("Hello world", eos.AddBosToken));
        Assert.False(Stories260KTokenizer().AddEosToken); // llama2.c: no EOS appended, as run.c
    }

    private static ITextTokenizer Stories260KTokenizer() => TokenizerLoader.Load(AssetLocator.Require("models/stories260k/tok512.bin"));

    [Fact]
    public void Generate_continues_the_prompt_without_EOS()
    {
        var tokenizer = TokenizerLoader.Load(Gpt2Folder(addEos: true));
        manual_seed(4);
        using var model = new Gpt2Model(new Gpt2Config(Dim: 8, Layers: 1, Heads: 2, VocabularySize: 50257, MaxSequenceLength: 16, InnerDim: 16));
        var options = new GenerationOptions { MaxNewTokens = 4, StopAtEos = false };
        var expected = tokenizer.Decode(TextGenerator.GenerateIds(model, [15496, 995], options, []));
        Assert.Equal(expected, TextGenerator.Generate(model, tokenizer, "Hello world", options));
    }

    [Fact]
    public void Preference_pairs_responses_end_with_EOS_and_prompts_do_not()
    {
        var data = Path.Combine(folder, "pairs.jsonl");
        File.WriteAllLines(data, Enumerable.Range(0, 6).Select(i =>
            $"{{\"prompt\": \"Hello world {i}\", \"chosen\": \" Good.\", \"rejected\": \" Bad {i}.\"}}"));
        foreach (bool addEos in new[] { true, false })
        {
            var tokenizerFolder = Gpt2Folder(addEos);
            manual_seed(1);
            using (var model = new Gpt2Model(new Gpt2Config(Dim: 8, Layers: 1, Heads: 2, VocabularySize: 50257, MaxSequenceLength: 128, InnerDim: 16)))
                HuggingFaceCheckpointWriter.Save(model, tokenizerFolder);
            var settings = new Dictionary<string, string>
            {
                ["data"] = data, ["format"] = "jsonl", ["train_pairs"] = "4", ["eval_pairs"] = "2", ["model"] = tokenizerFolder, ["tokenizer"] = tokenizerFolder,
            };
            using var task = TaskCatalog.Create(TestTasks.Choice(HhRlhfTask.OwnDataTaskName, settings), TaskContext.Cpu);
            Assert.All(task.TrainPairs.Concat(task.EvalPairs), p =>
            {
                Assert.Equal(addEos, p.Chosen[^1] == 50256);
                Assert.Equal(addEos, p.Rejected[^1] == 50256);
                Assert.NotEqual(50256, p.Prompt[^1]);
                Assert.Equal(15496, p.Prompt[0]); // GPT-2: no BOS
            });
        }
    }
}
