using RiskAlign.Framework.Assets;
using RiskAlign.Framework.Data;
using RiskAlign.Framework.Tokenizers;

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
public static class HhRlhfTask
{
    /// <summary>Name in sweep specs.</summary>
    public const string TaskName = "hh-rlhf";

    /// <summary>The same task on the user's own pairs (<c>data</c> and <c>format</c> settings).</summary>
    public const string OwnDataTaskName = "preference-pairs";

    /// <summary>Builds the task of these settings for the task named <paramref name="task"/> (as errors name it).</summary>
    public static TaskWorld Build(HhRlhfSettings s, TaskContext context, string task = TaskName)
    {
        var (model, tokenizer) = PretrainedReference.Load(task, s.Model, s.Tokenizer, context.AssetsFolder, context.Device, s.MaxLength, "max_length");
        try
        {
            var reader = Reader(s, context.AssetsFolder, task);
            var all = reader.Read().ToList();
            int wanted = s.TrainPairs + s.EvalPairs;
            if (wanted > all.Count)
                throw new ArgumentException($"Task '{task}': train_pairs + eval_pairs = {wanted} exceeds the {all.Count} usable pairs.");
            var order = DatasetSplit.Permutation(all.Count, (ulong)s.Seed);
            int[] Encode(string text) => [.. tokenizer.Encode(text, addBos: false)];
            int pad = TaskWorld.PadIdFor(tokenizer);
            // BOS opens the prompt where the tokenizer's Hugging Face convention adds it (llama2.c, SentencePiece), not for GPT-2, as TRL tokenizes
            int[] opening = tokenizer.AddBosToken && tokenizer.BosId is int bos ? [bos] : [];
            var pairs = order.Take(wanted).Select(i =>
            {
                // Truncate to max_length − |opening| and prepend the opening, so BOS survives the prompt's left cut.
                // Responses are complete texts: EOS follows them where the tokenizer's add_eos_token says so.
                var cut = PreferenceTruncation.Tokenize(all[i], Encode, tokenizer.EncodeCompleteText, s.MaxLength - opening.Length, s.MaxPromptLength - opening.Length);
                return new PreferencePair([.. opening, .. cut.Prompt], cut.Chosen, cut.Rejected);
            }).Where(p => p.Prompt.Length > 0 && p.Chosen.Length > 0 && p.Rejected.Length > 0).ToArray();
            if (pairs.Length <= s.TrainPairs)
                throw new ArgumentException($"Task '{task}': after truncation to max_length {s.MaxLength}, only {pairs.Length} pairs keep a response; {s.TrainPairs} train pairs and at least one eval pair are needed.");
            // No task-level metrics (no evaluation prompts): the trainer's held-out preference metrics are the measurement.
            return new TaskWorld
            {
                Reference = model, PadTokenId = pad, Tokenizer = tokenizer,
                TrainPairs = pairs[..s.TrainPairs], EvalPairs = pairs[s.TrainPairs..],
                DriftMetric = "kl/seq_chosen", RewardMetric = "rewards/accuracies",
                Statistics = new Dictionary<string, double> { ["data/dropped_identical"] = reader.Statistics.DroppedIdentical },
            };
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The files a build of these settings reads (model, tokenizer, pair files), as the settings name them.</summary>
    public static IEnumerable<string> AssetFiles(HhRlhfSettings s) =>
        [s.Model, s.Tokenizer, .. s.Data?.Select(path => path.Trim()) ?? HhRlhfReader.TestSplitFiles];

    /// <summary>The world of a cache entry this task's <see cref="Build"/> stored: the reference and tokenizer loaded
    /// again, the tokenised pairs read from the entry.</summary>
    public static TaskWorld Restore(HhRlhfSettings s, TaskContext context, StoredTaskBuild stored, string task = TaskName)
    {
        var (model, tokenizer) = PretrainedReference.Load(task, s.Model, s.Tokenizer, context.AssetsFolder, context.Device, s.MaxLength, "max_length");
        return stored.World(stored.LoadReference(model)) with { Tokenizer = tokenizer };
    }

    private static IPreferencePairReader Reader(HhRlhfSettings s, string? assetsFolder, string task)
    {
        if (s.Data is null) return HhRlhfReader.TestSplits(assetsFolder);
        var files = s.Data.Select(path => AssetLocator.Resolve(path.Trim(), assetsFolder)).ToArray();
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
