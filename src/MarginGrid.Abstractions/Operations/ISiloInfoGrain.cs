namespace MarginGrid.Abstractions.Operations;

/// <summary>
/// Describes the silo it runs on. Its implementation is a stateless worker, so a client's call is answered by
/// the gateway silo it reached: the operator's tool names that silo.
/// </summary>
public interface ISiloInfoGrain : IGrainWithIntegerKey
{
    Task<SiloInfo> Describe();
}
