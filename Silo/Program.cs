Console.Error.WriteLine("RiskAlign.Silo: not implemented yet");
