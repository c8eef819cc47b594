using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace RiskAlign.Framework.Models.Checkpoints;

/// <summary>
/// The safetensors format (Hugging Face): 8-byte little-endian header length N, N bytes of JSON
/// <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}</c>, then the raw
/// little-endian tensor bytes, offsets relative to the end of the header. Tensors are read as float32 (F32, F16, BF16, F64
/// are converted), which is what the models compute in.
/// </summary>
public static class Safetensors
{
    /// <summary>Name, dtype and shape of one stored tensor.</summary>
    public sealed record Entry(string Name, string DType, long[] Shape, long Begin, long End);

    /// <summary>The tensors listed in <paramref name="path"/>'s header (no data read).</summary>
    public static IReadOnlyList<Entry> ReadHeader(string path)
    {
        using var stream = OpenChecked(path);
        return ReadHeader(stream, path, out _);
    }

    /// <summary>
    /// Every tensor in <paramref name="path"/> (or only those <paramref name="wanted"/> accepts) as float32 CPU tensors.
    /// A malformed file is an <see cref="InvalidDataException"/> naming the file and the tensor.
    /// </summary>
    public static Dictionary<string, Tensor> Load(string path, Func<string, bool>? wanted = null)
    {
        RequireLittleEndian();
        using var stream = OpenChecked(path);
        var entries = ReadHeader(stream, path, out long dataStart);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (wanted is not null && !wanted(entry.Name)) continue;
            long count = entry.Shape.Aggregate(1L, (a, b) => a * b);
            var (stored, width) = StoredType(entry.DType, path, entry.Name);
            if (entry.End - entry.Begin != count * width)
                throw new InvalidDataException(
                    $"{path}: tensor '{entry.Name}' ({entry.DType} [{string.Join(", ", entry.Shape)}]) needs {count * width} bytes but its data_offsets span {entry.End - entry.Begin}.");
            if (dataStart + entry.End > stream.Length)
                throw new InvalidDataException(
                    $"{path}: tensor '{entry.Name}' ({entry.DType} [{string.Join(", ", entry.Shape)}]) ends at byte {dataStart + entry.End}, past the end of the file ({stream.Length} bytes); the file is truncated.");
            result[entry.Name] = ReadTensor(stream, dataStart + entry.Begin, entry.Shape, stored);
        }
        return result;
    }

    /// <summary>Writes <paramref name="tensors"/> as F32 safetensors (header padded to 8 bytes, as the reference writer does).</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        RequireLittleEndian();
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        if (metadata is not null) header["__metadata__"] = metadata;
        var ordered = tensors.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        long offset = 0;
        foreach (var (name, value) in ordered)
        {
            long bytes = value.numel() * 4;
            header[name] = new { dtype = "F32", shape = value.shape, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        var json = JsonSerializer.Serialize(header);
        json += new string(' ', (8 - Encoding.UTF8.GetByteCount(json) % 8) % 8);
        var jsonBytes = Encoding.UTF8.GetBytes(json);
        using var stream = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)jsonBytes.Length);
        stream.Write(length);
        stream.Write(jsonBytes);
        foreach (var (_, value) in ordered)
        {
            using var f32 = value.detach().to(ScalarType.Float32).cpu().contiguous();
            foreach (var chunk in Chunks(f32)) using (chunk) stream.Write(chunk.bytes);
        }
    }

    private static FileStream OpenChecked(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"safetensors file '{path}' not found.", path);
        return File.OpenRead(path);
    }

    private static List<Entry> ReadHeader(FileStream stream, string path, out long dataStart)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.Length < 8) throw new InvalidDataException($"{path}: {stream.Length} bytes is too short for a safetensors file.");
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(stream.Length - 8) || headerLength > 100_000_000)
            throw new InvalidDataException($"{path}: header length {headerLength} does not fit the file ({stream.Length} bytes); not a safetensors file.");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        dataStart = 8 + (long)headerLength;
        var entries = new List<Entry>();
        try
        {
            using var document = JsonDocument.Parse(json);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__") continue;
                var value = property.Value;
                var offsets = value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
                    throw new InvalidDataException($"{path}: tensor '{property.Name}' has data_offsets [{string.Join(", ", offsets)}].");
                entries.Add(new Entry(property.Name, value.GetProperty("dtype").GetString() ?? "",
                    value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray(), offsets[0], offsets[1]));
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: malformed safetensors header ({e.Message}).", e);
        }
        return entries;
    }

    /// <summary>The torch type a stored dtype is read into, and its bytes per element.</summary>
    private static (ScalarType Type, int Width) StoredType(string dtype, string path, string name) => dtype switch
    {
        "F32" => (ScalarType.Float32, 4),
        "F16" => (ScalarType.Float16, 2),
        "BF16" => (ScalarType.BFloat16, 2),
        "F64" => (ScalarType.Float64, 8),
        _ => throw new NotSupportedException($"{path}: tensor '{name}' has dtype {dtype}; only F32, F16, BF16 and F64 weights are supported."),
    };

    /// <summary>Reads one tensor's bytes from the file straight into a tensor of the file's dtype (no managed copy of
    /// the weights, so loading a model holds one copy of it, not three), then widens it to float32.</summary>
    private static Tensor ReadTensor(FileStream stream, long position, long[] shape, ScalarType stored)
    {
        var raw = empty(shape, stored);
        stream.Position = position;
        foreach (var chunk in Chunks(raw)) using (chunk) stream.ReadExactly(chunk.bytes);
        if (stored == ScalarType.Float32) return raw;
        using (raw) return raw.to_type(ScalarType.Float32);
    }

    /// <summary>Contiguous views of at most <paramref name="chunkBytes"/> each (whole elements, at least one), covering
    /// <paramref name="t"/> in memory order: a tensor's <c>bytes</c> span is limited to 2 GiB, and a large embedding
    /// (128k × 8192 in float32) is more.</summary>
    internal static IEnumerable<Tensor> Chunks(Tensor t, long chunkBytes = ChunkBytes)
    {
        Debug.Assert(t.is_contiguous() && t.device_type == DeviceType.CPU);
        using var flat = t.view(-1);
        long n = flat.numel(), step = Math.Max(1, chunkBytes / t.ElementSize);
        for (long start = 0; start < n; start += step) yield return flat.narrow(0, start, Math.Min(step, n - start));
    }

    private const long ChunkBytes = 64L << 20;

    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors is little-endian; this machine is not.");
    }
}
