using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RiskAlign.Framework.Models.Loading;

/// <summary>
/// Writes a double so that Python's json reads it back as a float: 2.0 as <c>2.0</c>, not <c>2</c> as System.Text.Json
/// does. transformers checks the type of some config fields: GPT-NeoX's <c>rope_scaling.factor</c> must be a float in
/// transformers 4 (an int is refused), and the rope validation warns about int factors.
/// </summary>
internal sealed class PythonFloatJsonConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "JSON has no NaN or infinity.");
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        writer.WriteRawValue(text.Contains('.') || text.Contains('E') ? text : text + ".0");
    }
}
