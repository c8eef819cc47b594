using System.Globalization;
using System.Text;

namespace RiskAlign.Framework.Tokenizers;

/// <summary>
/// llama2.c's tokenizer.bin (SentencePiece BPE exported as pieces and scores): int32 max_token_length, then per piece
/// float32 score, int32 byte length, bytes; ids 0/1/2 are unk/bos/eos and 3..258 the byte-fallback pieces &lt;0xNN&gt;.
/// Encoding is run.c's <c>encode</c>, reproduced exactly: a dummy-prefix space, one piece per UTF-8 code point (or its
/// bytes as &lt;0xNN&gt; pieces when the code point is not in the vocabulary), then repeatedly merge the adjacent pair whose
/// concatenation is the highest-scoring piece. Microsoft.ML.Tokenizers' LlamaTokenizer/SentencePiece needs the
/// SentencePiece protobuf model (tokenizer.model), which this format does not carry, and its BPE tokenizer merges by
/// rank from a merges list, not by piece score; so this file implements run.c's ~40 lines itself.
/// </summary>
public sealed class Llama2cTokenizer : ITextTokenizer
{
    private readonly byte[][] pieces;
    private readonly float[] scores;
    // Pieces as Latin-1 strings: a 1:1 image of their bytes, so concatenation of keys is concatenation of bytes.
    private readonly Dictionary<string, int> lookup = new(StringComparer.Ordinal);
    private readonly string[] keys;

    private Llama2cTokenizer(byte[][] pieces, float[] scores)
    {
        this.pieces = pieces;
        this.scores = scores;
        keys = pieces.Select(p => Encoding.Latin1.GetString(p)).ToArray();
        for (int i = 0; i < keys.Length; i++) lookup.TryAdd(keys[i], i);
    }

    /// <summary>Reads a llama2.c tokenizer.bin (all pieces to the end of the file).</summary>
    public static Llama2cTokenizer Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"llama2.c tokenizer '{path}' not found.", path);
        using var reader = new BinaryReader(File.OpenRead(path));
        long length = reader.BaseStream.Length;
        if (length < 4) throw new InvalidDataException($"{path}: too short for a llama2.c tokenizer.");
        reader.ReadInt32(); // max_token_length
        var pieces = new List<byte[]>();
        var scores = new List<float>();
        while (reader.BaseStream.Position < length)
        {
            if (length - reader.BaseStream.Position < 8) throw new InvalidDataException($"{path}: truncated at piece {pieces.Count}.");
            scores.Add(reader.ReadSingle());
            int len = reader.ReadInt32();
            if (len < 0 || len > length - reader.BaseStream.Position)
                throw new InvalidDataException($"{path}: piece {pieces.Count} has impossible length {len}.");
            pieces.Add(reader.ReadBytes(len));
        }
        if (pieces.Count < 259) throw new InvalidDataException($"{path}: {pieces.Count} pieces; a llama2.c tokenizer has at least 3 special and 256 byte pieces.");
        return new Llama2cTokenizer(pieces.ToArray(), scores.ToArray());
    }

    /// <inheritdoc />
    public int VocabularySize => pieces.Length;

    /// <inheritdoc />
    public int? BosId => 1;

    /// <inheritdoc />
    public int? EosId => 2;

    /// <inheritdoc />
    public bool AddBosToken => true;

    /// <inheritdoc />
    public bool AddEosToken => false;

    /// <inheritdoc />
    public IReadOnlyList<int> StopIds { get; } = new[] { 2, 1 };

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        var tokens = new List<int>();
        if (addBos) tokens.Add(1);
        if (text.Length > 0 && lookup.TryGetValue(" ", out int space)) tokens.Add(space);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        for (int i = 0; i < bytes.Length;)
        {
            // one UTF-8 code point: a lead byte and its continuation bytes (10xxxxxx), at most 4 bytes as run.c does
            int end = i + 1;
            while (end < bytes.Length && (bytes[end] & 0xC0) == 0x80 && end - i < 4) end++;
            if (lookup.TryGetValue(Encoding.Latin1.GetString(bytes, i, end - i), out int id)) tokens.Add(id);
            else for (int b = i; b < end; b++) tokens.Add(bytes[b] + 3); // byte fallback: <0x00> is id 3
            i = end;
        }
        while (true)
        {
            float bestScore = -1e10f;
            int bestId = -1, bestIndex = -1;
            for (int i = 0; i + 1 < tokens.Count; i++)
            {
                if (lookup.TryGetValue(keys[tokens[i]] + keys[tokens[i + 1]], out int id) && scores[id] > bestScore)
                {
                    bestScore = scores[id];
                    bestId = id;
                    bestIndex = i;
                }
            }
            if (bestIndex < 0) break;
            tokens[bestIndex] = bestId;
            tokens.RemoveAt(bestIndex + 1);
        }
        return tokens;
    }

    /// <summary>
    /// run.c's <c>decode</c> over a sequence: byte-fallback pieces &lt;0xNN&gt; become their byte, and a piece right after
    /// BOS loses its leading space (SentencePiece's dummy prefix); BOS and EOS themselves produce no text. So
    /// <c>Decode(Encode(text, addBos: true)) == text</c>; without BOS the dummy-prefix space stays, as run.c prints it.
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        int previous = -1;
        foreach (int id in ids)
        {
            if (id < 0 || id >= pieces.Length) throw new ArgumentOutOfRangeException(nameof(ids), $"Token id {id} is outside the vocabulary of {pieces.Length}.");
            if (id == 1 || id == 2) { previous = id; continue; }
            byte[] piece = pieces[id];
            if (TryByteFallback(piece, out byte value)) bytes.Add(value);
            else
            {
                int skip = previous == 1 && piece.Length > 0 && piece[0] == (byte)' ' ? 1 : 0;
                bytes.AddRange(piece.AsSpan(skip).ToArray());
            }
            previous = id;
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool TryByteFallback(byte[] piece, out byte value)
    {
        value = 0;
        return piece.Length == 6 && piece[0] == '<' && piece[1] == '0' && piece[2] == 'x' && piece[5] == '>'
            && byte.TryParse(Encoding.ASCII.GetString(piece, 3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
    }
}
