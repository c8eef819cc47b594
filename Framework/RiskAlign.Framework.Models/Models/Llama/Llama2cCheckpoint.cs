using System.Runtime.InteropServices;
using RiskAlign.Framework.Models.Llama;

namespace RiskAlign.Framework.Models.Llama;

/// <summary>
/// Reads llama2.c's legacy checkpoint (<c>run.c</c> "version 0"): seven int32 (dim, hidden_dim, n_layers, n_heads,
/// n_kv_heads, vocab_size — negative when the classifier is not shared with the embedding —, seq_len), then float32
/// weights in the order token_embedding, rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3, rms_final, freq_cis_real,
/// freq_cis_imag, [wcls]. Matrices are stored row-major [out, in], the layout of <c>nn.Linear.weight</c>.
/// The stored freq_cis tables are skipped: run.c recomputes RoPE, and so does <see cref="LlamaModel"/>.
/// </summary>
public static class Llama2cCheckpoint
{
    /// <summary>Reads the header only.</summary>
    public static LlamaConfig ReadConfig(string path)
    {
        using var stream = OpenChecked(path);
        return ReadHeader(new BinaryReader(stream), path, stream.Length);
    }

    /// <summary>The model in <paramref name="path"/>, in eval mode, on <paramref name="device"/> (CPU when null).</summary>
    public static LlamaModel Load(string path, Device? device = null)
    {
        byte[] bytes;
        LlamaConfig config;
        using (var stream = OpenChecked(path))
        {
            config = ReadHeader(new BinaryReader(stream), path, stream.Length);
            bytes = new byte[stream.Length - HeaderBytes];
            stream.ReadExactly(bytes);
        }
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("llama2.c checkpoints are little-endian; this machine is not.");
        float[] floats = MemoryMarshal.Cast<byte, float>(bytes).ToArray(); // little-endian, as llama2.c writes on x86/ARM
        // Built outside the dispose scope below: the scope frees the temporary weight tensors, not the model's parameters.
        var model = new LlamaModel(config);
        int d = config.Dim, hid = config.HiddenDim, l = config.Layers, kv = config.KvHeads * config.HeadDim, v = config.VocabularySize;
        long offset = 0;
        var weights = new Dictionary<string, Tensor>();
        using var scope = NewDisposeScope();
        Tensor Take(params long[] shape)
        {
            long count = shape.Aggregate(1L, (a, b) => a * b);
            var t = tensor(floats.AsSpan((int)offset, (int)count).ToArray(), shape);
            offset += count;
            return t;
        }
        void PerLayer(string name, params long[] shape)
        {
            var all = Take(new[] { (long)l }.Concat(shape).ToArray());
            for (int i = 0; i < l; i++) weights[$"layers.{i}.{name}"] = all[i];
        }
        weights["tok_embeddings.weight"] = Take(v, d);
        PerLayer("attention_norm.weight", d);
        PerLayer("attention.wq.weight", d, d);
        PerLayer("attention.wk.weight", kv, d);
        PerLayer("attention.wv.weight", kv, d);
        PerLayer("attention.wo.weight", d, d);
        PerLayer("ffn_norm.weight", d);
        PerLayer("feed_forward.w1.weight", hid, d);
        PerLayer("feed_forward.w2.weight", d, hid);
        PerLayer("feed_forward.w3.weight", hid, d);
        weights["norm.weight"] = Take(d);
        offset += (long)config.MaxSequenceLength * config.HeadDim; // freq_cis_real and freq_cis_imag, [seq_len, hd/2] each
        if (!config.TiedEmbeddings) weights["output.weight"] = Take(v, d);
        model.LoadWeights(weights, path);
        model.eval();
        if (device is not null && device.type != DeviceType.CPU) model.to(device);
        return model;
    }

    private const int HeaderBytes = 7 * sizeof(int);

    private static FileStream OpenChecked(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"llama2.c checkpoint '{path}' not found.", path);
        return File.OpenRead(path);
    }

    private static LlamaConfig ReadHeader(BinaryReader reader, string path, long length)
    {
        if (length < HeaderBytes) throw new InvalidDataException($"{path}: {length} bytes is too short for a llama2.c checkpoint header (28 bytes).");
        int dim = reader.ReadInt32(), hidden = reader.ReadInt32(), layers = reader.ReadInt32(), heads = reader.ReadInt32(),
            kvHeads = reader.ReadInt32(), vocab = reader.ReadInt32(), seq = reader.ReadInt32();
        if (dim == 0x616b3432) // "ak42": export.py's version 1/2 (and int8) formats, which begin with a magic number
            throw new NotSupportedException(
                $"{path}: a llama2.c version-1/2 export (magic \"ak42\"); only the legacy format (export.py --version 0) is read.");
        var config = new LlamaConfig(dim, hidden, layers, heads, kvHeads, Math.Abs(vocab), seq, TiedEmbeddings: vocab > 0);
        try { config.Validate(); }
        catch (ArgumentException e) { throw new InvalidDataException($"{path}: not a llama2.c legacy checkpoint ({e.Message})", e); }
        long expectedFloats = config.ParameterCount + (long)seq * config.HeadDim;
        long expectedBytes = HeaderBytes + 4 * expectedFloats;
        if (length != expectedBytes)
            throw new InvalidDataException(
                $"{path}: header (dim {dim}, hidden {hidden}, layers {layers}, heads {heads}, kv heads {kvHeads}, vocab {vocab}, seq {seq}) implies {expectedBytes} bytes, the file has {length}.");
        return config;
    }
}
