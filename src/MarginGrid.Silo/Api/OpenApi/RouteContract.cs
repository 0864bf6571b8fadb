namespace MarginGrid.Silo.Api.OpenApi;

/// <summary>
/// What each route declares to the OpenAPI document: the handlers read their bodies themselves (strictly, see
/// <see cref="Body"/>), so the body, the answer and the problems a route can give are stated here.
/// </summary>
public static class RouteContract
{
    /// <summary>The problems every command can answer besides its own: bad body, no key, wrong role, and the rest.</summary>
    private static readonly int[] CommandProblems =
    [
        StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound,
        StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType,
        StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable,
    ];

    public static RouteHandlerBuilder Command<TBody, TResult>(this RouteHandlerBuilder route, string name, string summary, bool idempotent = false)
        where TBody : notnull
    {
        ArgumentNullException.ThrowIfNull(route);
        route.WithName(name).WithSummary(summary).Accepts<TBody>("application/json").Produces<TResult>();
        foreach (var status in CommandProblems)
        {
            route.ProducesProblem(status);
        }

        return idempotent ? route.WithMetadata(IdempotentCommand.Instance) : route;
    }

    /// <summary>A read: its answer, 401 without a key, and the problems it names.</summary>
    public static RouteHandlerBuilder Read<TResult>(this RouteHandlerBuilder route, string name, string summary, params int[] problems)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(problems);
        route.WithName(name).WithSummary(summary).Produces<TResult>().ProducesProblem(StatusCodes.Status401Unauthorized);
        foreach (var status in problems)
        {
            route.ProducesProblem(status);
        }

        return route;
    }
}
