namespace MarginGrid.Client;

/// <summary>The tool could not reach the cluster it was pointed at (in time, or at all); the message says which and why.</summary>
public sealed class ClusterUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
