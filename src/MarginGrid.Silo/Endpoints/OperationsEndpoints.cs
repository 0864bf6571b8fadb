using MarginGrid.Abstractions.Markets;
using MarginGrid.Grains.Infrastructure;

namespace MarginGrid.Silo.Endpoints;

/// <summary>
/// <c>/healthz</c> (the process is alive), <c>/readyz</c> (the silo answers grain calls and its storage reads) and
/// <c>/version</c> (what this silo runs, anonymous like the probes: a mixed-version rollout shows silo by silo).
/// </summary>
public static class OperationsEndpoints
{
    public static IEndpointRouteBuilder MapOperationsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "alive" })).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/readyz", Ready).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/version", () => Results.Ok(new
        {
            version = GridBuild.Version,
            build = GridBuild.Build,
            orleansVersion = GridBuild.OrleansVersion,
            startedAt = GridBuild.StartedAt,
        })).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> Ready(IGrainFactory grains, CancellationToken aborted)
    {
        try
        {
            // The catalog grain lives in storage: answering it means the silo is in the cluster and storage reads.
            await grains.GetGrain<IMarketCatalogGrain>(0).List().WaitAsync(TimeSpan.FromSeconds(5), aborted);
            return Results.Ok(new { status = "ready" });
        }
        catch (Exception error) when (error is TimeoutException or OrleansException or InvalidOperationException)
        {
            return Results.Json(new { status = "not ready", reason = error.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
