namespace MarginGrid.LoadTest.Metrics;

/// <summary>One line of a Prometheus text exposition: a series name, its labels and its value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
