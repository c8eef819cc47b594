using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RiskAlign.Framework.Tests.Tasks;

/// <summary>Task settings records: read once from JSON, names, checks and cache key derived from the record.</summary>
public sealed class TaskSettingsReaderTests
{
    public static TheoryData<string> Tasks() => [.. TaskCatalog.Names];

    [Theory]
    [MemberData(nameof(Tasks))]
    public void An_unknown_key_is_refused_with_every_valid_key_listed(string task)
    {
        var error = Assert.Throws<TaskSettingsException>(() => TaskCatalog.Normalize(new TaskChoice(task, """{"colour": "blue"}""")));
        Assert.Equal("colour", error.Setting);
        var names = TaskSettingsReader.Names(TaskCatalog.SettingsType(task));
        Assert.Contains($"has no setting 'colour'; known settings: {string.Join(", ", names)}.", error.Message);
        Assert.Contains("seed", names);
    }

    [Fact]
    public void A_list_is_a_JSON_array_and_the_older_comma_separated_string_reads_the_same()
    {
        var array = TaskCatalog.Normalize(new TaskChoice(EmotionShiftTask.TaskName, """{"eval_alphas": [0.5, 0, 1]}"""));
        var text = TaskCatalog.Normalize(new TaskChoice(EmotionShiftTask.TaskName, """{"eval_alphas": "0.5, 0, 1"}"""));
        Assert.Equal(array, text);
        Assert.Equal([0, 0.5, 1], ((EmotionShiftSettings)TaskCatalog.Settings(array)).EvalAlphas); // sorted, as before

        var files = TaskCatalog.Normalize(new TaskChoice(HhRlhfTask.OwnDataTaskName, """{"data": ["a.jsonl", "b.jsonl"], "format": "jsonl"}"""));
        var commaFiles = TaskCatalog.Normalize(new TaskChoice(HhRlhfTask.OwnDataTaskName, """{"data": "a.jsonl, b.jsonl", "format": "jsonl"}"""));
        Assert.Equal(files, commaFiles);
        Assert.Equal(["a.jsonl", "b.jsonl"], ((HhRlhfSettings)TaskCatalog.Settings(files)).Data!);
    }

    [Theory]
    [InlineData("""{"eval_alphas": [0, 2]}""", "eval_alphas", "expected a list of numbers in [0, 1]")]
    [InlineData("""{"eval_alphas": "0, x"}""", "eval_alphas", "expected a list of numbers in [0, 1]")]
    [InlineData("""{"eval_alphas": []}""", "eval_alphas", "expected a list of numbers")]
    [InlineData("""{"sft_steps": 1.5}""", "sft_steps", "expected an integer >= 0, got '1.5'")]
    [InlineData("""{"mix": "linear"}""", "mix", "expected one of convex, geometric, got 'linear'")]
    public void A_bad_value_names_its_key_and_what_was_expected(string settings, string key, string expected)
    {
        var error = Assert.Throws<TaskSettingsException>(() => TaskCatalog.Normalize(new TaskChoice(EmotionShiftTask.TaskName, settings)));
        Assert.Equal(key, error.Setting);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [MemberData(nameof(Tasks))]
    public void Changing_any_setting_changes_the_cache_key(string task)
    {
        // Derived from the record's properties, so a property added later is covered without touching this test.
        var type = TaskCatalog.SettingsType(task);
        var defaults = TaskSettingsReader.Read(type, task, "{}");
        string key = TaskSettingsReader.Normalize(defaults);
        foreach (var property in type.GetProperties().Where(p => p.SetMethod is not null))
        {
            var changed = (TaskSettings)CloneWith(defaults, property, Other(property.PropertyType, property.GetValue(defaults)));
            Assert.NotEqual(key, TaskSettingsReader.Normalize(changed));
        }
    }

    [Theory]
    [MemberData(nameof(Tasks))]
    public void Settings_and_the_choice_round_trip_through_System_Text_Json(string task)
    {
        var choice = TaskCatalog.Normalize(new TaskChoice(task, task == HhRlhfTask.OwnDataTaskName ? """{"data": ["x.jsonl"], "format": "jsonl"}""" : "{}"));
        // As the silo carries trials between grains (RiskAlignJson: general defaults).
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
        var back = JsonSerializer.Deserialize<TaskChoice>(JsonSerializer.Serialize(choice, options), options);
        Assert.Equal(choice, back);
        var settings = TaskCatalog.Settings(back!);
        Assert.Equal(choice.Settings, TaskSettingsReader.Normalize(settings));
        Assert.Equal(choice, TaskCatalog.Normalize(choice)); // normalizing twice changes nothing
    }

    private static object? Other(Type type, object? value) => type switch
    {
        _ when type == typeof(int) => (int)value! + 1,
        _ when type == typeof(int?) => ((int?)value ?? 16) + 1, // an unset optional size (emotion-shift's width) becomes set
        _ when type == typeof(double) => (double)value! + 0.25,
        _ when type == typeof(string) => (string?)value + "x",
        _ when typeof(IEnumerable<double>).IsAssignableFrom(type) => ((IEnumerable<double>)value!).Append(0.123).ToArray(),
        _ when typeof(IEnumerable<string>).IsAssignableFrom(type) => (((IEnumerable<string>?)value) ?? []).Append("x").ToArray(),
        _ => throw new InvalidOperationException($"No test value for a setting of type {type}; extend Other()."),
    };

    private static object CloneWith(object record, PropertyInfo property, object? value)
    {
        var clone = record.GetType().GetMethod("<Clone>$")!.Invoke(record, null)!;
        property.SetValue(clone, value);
        return clone;
    }
}
