using System.Diagnostics;
using System.Globalization;
using RiskAlign.Framework.Generation;
using RiskAlign.Framework.Models;
using RiskAlign.Framework.Models.Gpt2;
using RiskAlign.Framework.Models.Loading;
using TorchSharp;
using static TorchSharp.torch;

namespace RiskAlign.Benchmarks;

/// <summary>
/// Times <see cref="BatchSampler"/> (what task building and evaluation use): N random prompts of P tokens, T new tokens
/// each, temperature 1, on a Hugging Face folder or a built-in random GPT-2 shape (4 layers, 256 wide, 4 heads, vocab
/// 50257), so it can be compared with benchmarks/peer/sample_peer.py on the same work.
/// <c>sample [--model DIR] [--prompts 160] [--prompt-length 8] [--new-tokens 64] [--repeats 1] [--no-cache] [--device cuda]</c>
/// </summary>
internal static class SamplingBenchmark
{
    public static void Run(string[] args)
    {
        string? modelPath = null, deviceName = "cpu";
        int prompts = 160, promptLength = 8, newTokens = 64, repeats = 1;
        bool useKvCache = true;
        for (int i = 0; i < args.Length; i++)
        {
            int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--model": modelPath = args[++i]; break;
                case "--prompts": prompts = Next(); break;
                case "--prompt-length": promptLength = Next(); break;
                case "--new-tokens": newTokens = Next(); break;
                case "--repeats": repeats = Next(); break;
                case "--no-cache": useKvCache = false; break;
                case "--device": deviceName = args[++i]; break;
                case "--threads": set_num_threads(Next()); break;
                default: throw new ArgumentException($"sample: unknown option '{args[i]}'; expected --model, --prompts, --prompt-length, --new-tokens, --repeats, --no-cache, --device, --threads.");
            }
        }
        var device = torch.device(deviceName);
        using var model = modelPath is null ? RandomGpt2(device) : ModelLoader.Load(modelPath, device);
        model.Freeze();
        var random = new Random(0);
        var ids = Enumerable.Range(0, prompts).Select(_ => Enumerable.Range(0, promptLength).Select(_ => random.Next(model.VocabularySize)).ToArray()).ToArray();
        BatchSampler.Sample(model, ids.Take(Math.Min(8, prompts)).ToArray(), 2, new Random(1), DrawSettings.Plain, device); // warm-up
        double best = double.PositiveInfinity;
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            BatchSampler.Sample(model, ids, newTokens, new Random(2 + r), DrawSettings.Plain, device, useKvCache: useKvCache);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        Console.WriteLine($"# model {modelPath ?? "built-in random GPT-2 4x256, vocab 50257"}, device {deviceName}, torch threads {get_num_threads()}, kv cache {useKvCache}; {RiskAlign.Framework.Models.TorchRuntime.MklCpuDispatch.Apply()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT prompts={prompts} prompt_length={promptLength} new_tokens={newTokens} seconds={best:F3} tokens_per_s={prompts * newTokens / best:F0}"));
    }

    private static CausalLanguageModel RandomGpt2(Device device)
    {
        var model = new Gpt2Model(new Gpt2Config(Dim: 256, Layers: 4, Heads: 4, VocabularySize: 50257, MaxSequenceLength: 1024, InnerDim: 1024));
        using (no_grad())
        using (var generator = new Generator(0))
        using (var std = 0.02.ToScalar())
            foreach (var (name, parameter) in model.named_parameters())
            {
                if (name.Contains("ln_", StringComparison.Ordinal)) continue; // LayerNorm keeps 1 / 0
                using var noise = randn(parameter.shape, generator: generator);
                parameter.copy_(noise.mul(std));
            }
        if (device.type != DeviceType.CPU) model.to(device);
        return model;
    }
}
