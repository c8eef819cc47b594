using System.Text.RegularExpressions;
using RiskAlign.Framework.Data;
using TorchSharp.Modules;

namespace RiskAlign.Framework.Rewards;

/// <summary>Settings of <see cref="BagOfWordsClassifier.Train"/>.</summary>
public sealed record BagOfWordsClassifierOptions
{
    /// <summary>Most frequent words kept (ties broken by ordinal order).</summary>
    public int VocabularySize { get; init; } = 30_000;

    /// <summary>Words seen in fewer training texts are dropped.</summary>
    public int MinDocumentCount { get; init; } = 2;

    /// <summary>Words read per text (the rest is ignored; IMDb reviews average ~230 words).</summary>
    public int MaxWordsPerText { get; init; } = 400;

    /// <summary>Embedding width (fastText style: mean of word vectors, then a linear layer).</summary>
    public int EmbeddingSize { get; init; } = 32;

    /// <summary>Passes over the training texts.</summary>
    public int Epochs { get; init; } = 4;

    /// <summary>Texts per Adam step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 0.005;

    /// <summary>Seed of the initial weights and of the shuffling.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// libtorch intra-op threads while training and scoring (restored afterwards); null leaves libtorch's setting.
    /// The model is so small that extra threads mostly wait on each other: on a shared 2-core machine (load ~30),
    /// 3 epochs over 3,000 IMDb reviews took 38.6 s wall / 11.3 s CPU with 2 threads and 3.2 s / 1.1 s with 1.
    /// The setting is libtorch's, so avoid training a classifier while other torch work runs in the same process.
    /// </summary>
    public int? TorchThreads { get; init; } = 1;
}

/// <summary>
/// A small text classifier in TorchSharp: lower-cased words (<c>[\p{L}\p{N}']+</c>), a vocabulary of the most
/// frequent ones, the mean of their embeddings (<c>EmbeddingBag</c>), a linear layer to class logits
/// (Joulin et al. 2017, "Bag of Tricks", without n-grams). CPU, float32; deterministic by seed up to libtorch's
/// reduction order.
/// </summary>
public sealed partial class BagOfWordsClassifier : IDisposable
{
    private readonly Dictionary<string, int> _index;
    private readonly Model _model;
    private readonly int _maxWords;
    private readonly object _gate = new();

    private readonly int? _threads;

    private BagOfWordsClassifier(Dictionary<string, int> index, Model model, int classCount, int maxWords, int? threads)
    {
        _index = index;
        _model = model;
        ClassCount = classCount;
        _maxWords = maxWords;
        _threads = threads;
    }

    /// <summary>Number of classes (labels 0..ClassCount-1).</summary>
    public int ClassCount { get; }

    /// <summary>Number of words in the vocabulary.</summary>
    public int VocabularySize => _index.Count;

    /// <summary>The words of a text as the classifier reads them.</summary>
    public static IReadOnlyList<string> Tokenize(string text) =>
        WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToArray();

    /// <summary>Trains on <paramref name="examples"/> (labels in 0..<paramref name="classCount"/>−1).</summary>
    public static BagOfWordsClassifier Train(
        IReadOnlyList<LabeledText> examples, int classCount, BagOfWordsClassifierOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        options ??= new BagOfWordsClassifierOptions();
        if (examples.Count == 0) throw new ArgumentException("No training examples.", nameof(examples));
        if (options.TorchThreads is < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.TorchThreads, "TorchThreads must be 1 or more (or null).");
        foreach (var e in examples)
            if (e.Label < 0 || e.Label >= classCount)
                throw new ArgumentException($"Label {e.Label} outside 0..{classCount - 1}.", nameof(examples));

        var tokenized = examples.Select(e => Tokenize(e.Text).Take(options.MaxWordsPerText).ToArray()).ToArray();
        var index = BuildVocabulary(tokenized, options.VocabularySize, options.MinDocumentCount);
        var ids = tokenized.Select(words => ToIds(words, index)).ToArray();

        var generator = new Generator(options.Seed);
        var model = new Model(Math.Max(index.Count, 1), options.EmbeddingSize, classCount, generator);
        var classifier = new BagOfWordsClassifier(index, model, classCount, options.MaxWordsPerText, options.TorchThreads);
        using var threads = TorchThreadScope.Set(options.TorchThreads);
        try
        {
            using var optimizer = optim.Adam(model.parameters(), lr: options.LearningRate);
            model.train();
            for (var epoch = 0; epoch < options.Epochs; epoch++)
            {
                var order = DatasetSplit.Permutation(examples.Count, options.Seed + (ulong)epoch * 0x9E3779B9UL);
                for (var start = 0; start < order.Length; start += options.BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var batch = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start)).ToArray();
                    var (flat, offsets) = Pack(batch.Select(i => ids[i]).ToArray());
                    using var target = tensor(batch.Select(i => (long)examples[i].Label).ToArray());
                    var logits = model.forward(flat, offsets); // [B, C]
                    var loss = nn.functional.cross_entropy(logits, target);
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                }
            }
            model.eval();
            return classifier;
        }
        catch
        {
            classifier.Dispose();
            throw;
        }
    }

    /// <summary>Class probabilities of one text.</summary>
    public double[] Probabilities(string text) => Probabilities([text])[0];

    /// <summary>Class probabilities of each text, <c>[texts][ClassCount]</c>.</summary>
    public double[][] Probabilities(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0) return [];
        var bags = texts.Select(t => ToIds(Tokenize(t).Take(_maxWords), _index)).ToArray();
        lock (_gate)
        {
            using var threads = TorchThreadScope.Set(_threads);
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var (flat, offsets) = Pack(bags);
            var probabilities = nn.functional.softmax(_model.forward(flat, offsets).to(ScalarType.Float64), 1); // [N, C], sums to 1 in float64
            var values = probabilities.data<double>().ToArray();
            return Enumerable.Range(0, texts.Count).Select(i => values.AsSpan(i * ClassCount, ClassCount).ToArray()).ToArray();
        }
    }

    /// <summary>Fraction of <paramref name="examples"/> whose most probable class is their label.</summary>
    public double Accuracy(IEnumerable<LabeledText> examples, int batchSize = 512)
    {
        ArgumentNullException.ThrowIfNull(examples);
        long correct = 0, total = 0;
        foreach (var chunk in examples.Chunk(batchSize))
        {
            var probabilities = Probabilities(chunk.Select(e => e.Text).ToArray());
            for (var i = 0; i < chunk.Length; i++)
            {
                var p = probabilities[i];
                if (Array.IndexOf(p, p.Max()) == chunk[i].Label) correct++;
                total++;
            }
        }
        return total == 0 ? double.NaN : (double)correct / total;
    }

    /// <summary>Writes the classifier: its vocabulary and settings as JSON to <paramref name="vocabularyPath"/>, its
    /// weights to <paramref name="weightsPath"/> (TorchSharp's format); <see cref="Load"/> reads them back.</summary>
    public void Save(string vocabularyPath, string weightsPath)
    {
        var words = _index.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();
        var saved = new SavedClassifier(words, ClassCount, _maxWords, _threads, (int)_model.Width);
        File.WriteAllText(vocabularyPath, System.Text.Json.JsonSerializer.Serialize(saved));
        lock (_gate) _model.save(weightsPath);
    }

    /// <summary>A classifier <see cref="Save"/> wrote, the same predictions as the one saved.</summary>
    /// <exception cref="InvalidDataException">The vocabulary file holds no classifier.</exception>
    public static BagOfWordsClassifier Load(string vocabularyPath, string weightsPath)
    {
        var saved = System.Text.Json.JsonSerializer.Deserialize<SavedClassifier>(File.ReadAllText(vocabularyPath))
            ?? throw new InvalidDataException($"'{vocabularyPath}' holds no classifier.");
        var index = saved.Words.Select((word, i) => (word, i)).ToDictionary(x => x.word, x => x.i, StringComparer.Ordinal);
        var model = new Model(Math.Max(index.Count, 1), saved.Width, saved.ClassCount, new Generator(0));
        try
        {
            model.load(weightsPath);
            model.eval();
            return new BagOfWordsClassifier(index, model, saved.ClassCount, saved.MaxWords, saved.Threads);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private sealed record SavedClassifier(string[] Words, int ClassCount, int MaxWords, int? Threads, int Width);

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();

    private static Dictionary<string, int> BuildVocabulary(string[][] texts, int size, int minDocumentCount)
    {
        var documentCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var words in texts)
            foreach (var word in words.Distinct())
                documentCounts[word] = documentCounts.GetValueOrDefault(word) + 1;
        return documentCounts
            .Where(kv => kv.Value >= minDocumentCount)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(size)
            .Select((kv, i) => (kv.Key, i))
            .ToDictionary(x => x.Key, x => x.i, StringComparer.Ordinal);
    }

    private static long[] ToIds(IEnumerable<string> words, Dictionary<string, int> index)
    {
        var ids = new List<long>();
        foreach (var word in words)
            if (index.TryGetValue(word, out var id)) ids.Add(id);
        return ids.ToArray();
    }

    /// <summary>Bags as EmbeddingBag wants them: all ids in one row and the start of each bag.</summary>
    private static (Tensor Flat, Tensor Offsets) Pack(long[][] bags)
    {
        var offsets = new long[bags.Length];
        var total = 0L;
        for (var i = 0; i < bags.Length; i++)
        {
            offsets[i] = total;
            total += bags[i].Length;
        }
        var flat = new long[total];
        var at = 0;
        foreach (var bag in bags)
        {
            bag.CopyTo(flat, at);
            at += bag.Length;
        }
        return (tensor(flat), tensor(offsets));
    }

    /// <summary>Sets libtorch's intra-op thread count and puts the previous one back on dispose.</summary>
    private readonly struct TorchThreadScope : IDisposable
    {
        private readonly int _previous;

        private TorchThreadScope(int previous) => _previous = previous;

        public static TorchThreadScope Set(int? threads)
        {
            if (threads is not { } n) return default;
            ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(BagOfWordsClassifierOptions.TorchThreads));
            var previous = get_num_threads();
            if (previous != n) set_num_threads(n);
            return new TorchThreadScope(previous);
        }

        public void Dispose()
        {
            if (_previous > 0 && get_num_threads() != _previous) set_num_threads(_previous);
        }
    }

    [GeneratedRegex(@"[\p{L}\p{N}']+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    /// <summary>Mean of word embeddings, then linear: ids [W] with offsets [N] → logits [N, C].</summary>
    private sealed class Model : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly EmbeddingBag embedding;
        private readonly Linear output;

        public Model(int vocabulary, int width, int classes, Generator generator) : base("BagOfWordsClassifier")
        {
            embedding = nn.EmbeddingBag(vocabulary, width, mode: EmbeddingBagMode.Mean);
            output = nn.Linear(width, classes);
            RegisterComponents();
            using var noGrad = no_grad();
            // Seeded initialisation (the module defaults draw from the global generator).
            embedding.weight!.copy_(rand(new long[] { vocabulary, width }, generator: generator).sub_(0.5).mul_(2.0 / width));
            output.weight!.copy_(rand(new long[] { classes, width }, generator: generator).sub_(0.5).mul_(2.0 / Math.Sqrt(width)));
            output.bias!.zero_();
        }

        public long Width => embedding.weight!.shape[1];

        public override Tensor forward(Tensor ids, Tensor offsets) => output.forward(embedding.forward(ids, offsets, null));
    }
}
