namespace RiskAlign.SweepClient.Running;

/// <summary>The --out folder already holds files; a run never replaces earlier results unless told to.</summary>
public sealed class OutputFolderInUseException(string folder)
    : Exception($"--out {folder}: the folder is not empty; choose another folder, or pass --overwrite to replace its results.");
