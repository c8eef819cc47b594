Console.Error.WriteLine("RiskAlign.SweepClient: not implemented yet");
