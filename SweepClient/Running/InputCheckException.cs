namespace RiskAlign.SweepClient.Running;

/// <summary>A file or folder a sweep needs is missing, unreadable or malformed; found before anything starts.
/// The message is one line, <c>file:line: what</c> where a line is known.</summary>
public sealed class InputCheckException(string message, Exception? inner = null) : Exception(message, inner);
