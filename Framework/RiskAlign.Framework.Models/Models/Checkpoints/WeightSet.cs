namespace RiskAlign.Framework.Models.Checkpoints;

/// <summary>Tensors by checkpoint name, with the file each came from, for messages.</summary>
public sealed class WeightSet(string folder, Dictionary<string, Tensor> tensors, Dictionary<string, string> files) : IDisposable
{
    public IReadOnlyDictionary<string, Tensor> Tensors => tensors;

    /// <summary>The tensor <paramref name="name"/> with shape <paramref name="shape"/>, or an error naming the tensor and shapes.</summary>
    public Tensor Require(string name, params long[] shape)
    {
        if (!tensors.TryGetValue(name, out var value))
            throw new InvalidDataException($"Checkpoint '{folder}' is missing tensor '{name}' (expected shape [{string.Join(", ", shape)}]).");
        if (!value.shape.SequenceEqual(shape))
            throw new InvalidDataException(
                $"{files[name]}: tensor '{name}' has shape [{string.Join(", ", value.shape)}], expected [{string.Join(", ", shape)}].");
        return value;
    }

    public void Dispose()
    {
        foreach (var value in tensors.Values) value.Dispose();
    }
}
