namespace RiskAlign.Framework.Plugins;

/// <summary>A plugins.json entry or a plugin that cannot be used; the message names the file, the entry and what was expected.</summary>
public sealed class PluginCatalogException(string message, Exception? inner = null) : Exception(message, inner);
