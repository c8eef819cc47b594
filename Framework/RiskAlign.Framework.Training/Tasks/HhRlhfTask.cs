using RiskAlign.Framework.Assets;
using RiskAlign.Framework.Data;
using RiskAlign.Framework.Models;
using static TorchSharp.torch;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// Real human preference pairs (Anthropic HH-RLHF, the four test splits of ../shared/assets) on a pretrained
/// reference model (stories260K by default). Pairs are drawn by seed, tokenised with the model's tokenizer and
/// truncated so the response is kept. There is no ground-truth reward: as in the Ra-DPO paper's curves, the front is
/// held-out reward accuracy (<c>rewards/accuracies</c>, maximised) against the sequential KL of the chosen responses
/// (<c>kl/seq_chosen</c>, minimised), both measured by the trainer on the eval pairs. Registered a second time as
/// <c>preference-pairs</c>, where the <c>data</c> and <c>format</c> settings point it at the user's own pairs
/// (HH-RLHF transcripts, ShareGPT DPO or prompt/chosen/rejected JSONL).
/// </summary>
public sealed class HhRlhfTask : IPreferenceTask
{
    public const string TaskName = "hh-rlhf";

    /// <summary>The same task on the user's own pairs (<c>data</c> and <c>format</c> settings).</summary>
    public const string OwnDataTaskName = "preference-pairs";

    /// <summary>Pad id: llama2.c's &lt;unk&gt; (0), never a label.</summary>
    private const int Pad = 0;

    private static readonly TaskBuildCache<Built> Cache = new();
    private readonly Built _data;

    private HhRlhfTask(string name, Built data)
    {
        Name = name;
        _data = data;
        Reference = data.Reference.DeepCopy().Freeze();
    }

    /// <summary>Builds (or takes from the in-process cache) the task of these settings.</summary>
    public static HhRlhfTask Create(HhRlhfSettings settings, Device device, string? assetsFolder, string name = TaskName)
    {
        string key = settings.CacheKey + "|" + device + "|" + assetsFolder;
        return new HhRlhfTask(name, Cache.GetOrBuild(key, () => Built.Build(settings, device, assetsFolder, name)));
    }

    public string Name { get; }
    public CausalLanguageModel Reference { get; }
    public int PadTokenId => Pad;
    public IReadOnlyList<PreferencePair> TrainPairs => _data.Train;
    public IReadOnlyList<PreferencePair> EvalPairs => _data.Eval;
    public string DriftMetric => "kl/seq_chosen";
    public string RewardMetric => "rewards/accuracies";

    /// <summary>Pairs left out because their two responses were identical (as the reader counts them).</summary>
    public long DroppedIdentical => _data.DroppedIdentical;

    /// <summary>No task-level metrics: the trainer's held-out preference metrics are the measurement.</summary>
    public IReadOnlyDictionary<string, double> Evaluate(CausalLanguageModel policy, CancellationToken cancellationToken) =>
        new Dictionary<string, double>();

    public void Dispose() => Reference.Dispose();

    private sealed record Built(CausalLanguageModel Reference, PreferencePair[] Train, PreferencePair[] Eval, long DroppedIdentical)
    {
        public static Built Build(HhRlhfSettings s, Device device, string? assetsFolder, string task)
        {
            var (model, tokenizer) = PretrainedReference.Load(task, s.Model, s.Tokenizer, assetsFolder, device, s.MaxLength, "max_length");
            var reader = Reader(s, assetsFolder, task);
            var all = reader.Read().ToList();
            int wanted = s.TrainPairs + s.EvalPairs;
            if (wanted > all.Count)
                throw new ArgumentException($"Task '{task}': train_pairs + eval_pairs = {wanted} exceeds the {all.Count} usable pairs.");
            var order = DatasetSplit.Permutation(all.Count, (ulong)s.Seed);
            int[] Encode(string text) => [.. tokenizer.Encode(text, addBos: false)];
            // BOS opens the prompt where the tokenizer's Hugging Face convention adds it (llama2.c, SentencePiece), not for GPT-2, as TRL tokenizes
            int[] opening = tokenizer.AddBosToken && tokenizer.BosId is int bos ? [bos] : [];
            var pairs = order.Take(wanted).Select(i =>
            {
                // Truncate to max_length − |opening| and prepend the opening, so BOS survives the prompt's left cut.
                var cut = PreferenceTruncation.Tokenize(all[i], Encode, s.MaxLength - opening.Length, s.MaxPromptLength - opening.Length);
                return new PreferencePair([.. opening, .. cut.Prompt], cut.Chosen, cut.Rejected);
            }).Where(p => p.Prompt.Length > 0 && p.Chosen.Length > 0 && p.Rejected.Length > 0).ToArray();
            model.Freeze();
            if (pairs.Length <= s.TrainPairs)
                throw new ArgumentException($"Task '{task}': after truncation to max_length {s.MaxLength}, only {pairs.Length} pairs keep a response; {s.TrainPairs} train pairs and at least one eval pair are needed.");
            return new Built(model, pairs[..Math.Min(s.TrainPairs, pairs.Length)], pairs[Math.Min(s.TrainPairs, pairs.Length)..], reader.Statistics.DroppedIdentical);
        }

        private static IPreferencePairReader Reader(HhRlhfSettings s, string? assetsFolder, string task)
        {
            if (s.Data is null) return HhRlhfReader.TestSplits(assetsFolder);
            var files = s.Data.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(path => AssetLocator.Resolve(path, assetsFolder)).ToArray();
            foreach (var file in files)
                if (!File.Exists(file)) throw new ArgumentException($"Task '{task}' setting 'data': '{file}' does not exist.");
            return s.Format switch
            {
                "sharegpt" => new ShareGptDpoReader(files),
                "jsonl" => new PreferenceJsonlReader(files),
                _ => new HhRlhfReader(files),
            };
        }
    }
}
