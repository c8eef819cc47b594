using System.Text.Json.Serialization;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// The settings of one task: a record whose init properties are its <c>task.settings</c> keys (snake_case of the
/// property name unless <see cref="JsonPropertyNameAttribute"/> says otherwise), with their defaults, and whose
/// <see cref="System.ComponentModel.DataAnnotations"/> attributes (<c>Range</c>, <c>AllowedValues</c>, <c>MinLength</c>)
/// state what each accepts. <see cref="TaskSettingsReader"/> derives the setting names, the checks and the cache key
/// of built tasks from the record, so a new setting is one property in one file.
/// </summary>
public abstract record TaskSettings
{
    /// <summary>A problem that involves several settings (for example <c>heads</c> must divide <c>d_model</c>):
    /// the setting to blame and what was expected, or null when the settings fit together.</summary>
    protected internal virtual (string Setting, string Expected, object? Given)? CheckTogether() => null;
}
