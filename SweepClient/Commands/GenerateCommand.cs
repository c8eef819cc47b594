using RiskAlign.Framework.Generation;
using RiskAlign.Silo.Devices;
using TorchSharp;

namespace RiskAlign.SweepClient.Commands;

/// <summary><c>generate</c>: continues a prompt with a checkpoint (llama2.c .bin or a Hugging Face folder) and prints the text.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = new Option<FileSystemInfo>("--model") { Description = "llama2.c checkpoint (.bin), Hugging Face folder (config.json + *.safetensors) or LoRA adapter folder (adapter_config.json: its base with the adapter merged)", Required = true };
        var tokenizer = new Option<FileSystemInfo>("--tokenizer") { Description = "llama2.c tokenizer (.bin), tokenizer.model, or a folder with tokenizer.json or vocab.json + merges.txt (an adapter folder without them: its base folder's)", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "Text to continue (default: start from BOS)", DefaultValueFactory = _ => "" };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens to add", DefaultValueFactory = _ => 64 };
        var temperature = new Option<double>("--temperature") { Description = "0 = greedy; otherwise sampling temperature", DefaultValueFactory = _ => 0 };
        var topK = new Option<int>("--top-k") { Description = "Sample among the k most likely tokens (0 = all)", DefaultValueFactory = _ => 0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling mass (1 = all)", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<long>("--seed") { Description = "Sampling seed", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "cpu or cuda[:N]", DefaultValueFactory = _ => "cpu" };
        var command = new Command("generate", "Continue a prompt with a language model checkpoint and print the text.")
        {
            model, tokenizer, prompt, maxNewTokens, temperature, topK, topP, seed, device,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            try
            {
                var options = new GenerationOptions
                {
                    MaxNewTokens = parse.GetValue(maxNewTokens),
                    Temperature = parse.GetValue(temperature),
                    TopK = parse.GetValue(topK),
                    TopP = parse.GetValue(topP),
                    Seed = parse.GetValue(seed),
                };
                var text = parse.GetValue(prompt)!;
                var continuation = TextGenerator.GenerateFromFiles(parse.GetRequiredValue(model).FullName, parse.GetRequiredValue(tokenizer).FullName,
                    text, options, DeviceCheck.Resolve(parse.GetValue(device)!, "--device"), cancellationToken);
                Console.WriteLine(text + continuation);
                return Task.FromResult(0);
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or FormatException || UserErrors.IsUserError(e))
            {
                return Task.FromResult(UserErrors.Report(e));
            }
        });
        return command;
    }
}
