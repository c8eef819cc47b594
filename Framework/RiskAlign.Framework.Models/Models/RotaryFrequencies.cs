namespace RiskAlign.Framework.Models;

/// <summary>How RoPE's frequencies are rescaled for a longer context (transformers' <c>rope_type</c>).</summary>
public enum RopeType
{
    /// <summary>θ^(−2j/d), unscaled.</summary>
    Default,
    /// <summary>Position interpolation: every frequency divided by <see cref="RopeScaling.Factor"/>.</summary>
    Linear,
    /// <summary>Llama 3.1's smooth per-frequency scaling (transformers' <c>_compute_llama3_parameters</c>).</summary>
    Llama3,
}

/// <summary>RoPE scaling parameters (only those <see cref="Type"/> uses are read).</summary>
public sealed record RopeScaling(
    RopeType Type,
    double Factor = 1.0,
    double LowFreqFactor = 1.0,
    double HighFreqFactor = 4.0,
    int OriginalMaxPositions = 8192);

/// <summary>Inverse frequencies of rotary position embedding, as transformers' modeling_rope_utils computes them.</summary>
public static class RotaryFrequencies
{
    /// <summary>
    /// inv_freq[j] = 1 / θ^(2j/d) for j &lt; d/2 (float32, as transformers: <c>1 / base ** (arange(0, d, 2).float() / d)</c>),
    /// then scaled: linear divides by factor; llama3 divides wavelengths above original/low_freq_factor by factor, keeps
    /// those below original/high_freq_factor, and interpolates between them with
    /// s = (original/wavelength − low) / (high − low): (1 − s)·f/factor + s·f.
    /// </summary>
    public static float[] Inverse(double theta, int rotaryDims, RopeScaling? scaling)
    {
        var inverse = new float[rotaryDims / 2];
        for (int j = 0; j < inverse.Length; j++) inverse[j] = 1.0f / MathF.Pow((float)theta, 2 * j / (float)rotaryDims);
        if (scaling is null || scaling.Type == RopeType.Default) return inverse;
        float factor = (float)scaling.Factor;
        if (scaling.Type == RopeType.Linear) return inverse.Select(f => f / factor).ToArray();
        float old = scaling.OriginalMaxPositions, low = (float)scaling.LowFreqFactor, high = (float)scaling.HighFreqFactor;
        float lowFreqWavelength = old / low, highFreqWavelength = old / high;
        for (int j = 0; j < inverse.Length; j++)
        {
            float f = inverse[j];
            float wavelength = 2 * MathF.PI / f;
            float scaled = wavelength > lowFreqWavelength ? f / factor : f;
            if (!(wavelength < highFreqWavelength) && !(wavelength > lowFreqWavelength))
            {
                float smooth = (old / wavelength - low) / (high - low);
                scaled = (1 - smooth) * scaled / factor + smooth * scaled;
            }
            inverse[j] = scaled;
        }
        return inverse;
    }
}
