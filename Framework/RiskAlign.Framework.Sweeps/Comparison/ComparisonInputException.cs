namespace RiskAlign.Framework.Comparison;

/// <summary>A sweep folder given to <c>compare</c> lacks a file or holds one that cannot be read; the message names the file.</summary>
public sealed class ComparisonInputException(string message, Exception? inner = null) : Exception(message, inner);
