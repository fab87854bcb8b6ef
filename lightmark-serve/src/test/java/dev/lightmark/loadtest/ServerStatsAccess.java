package dev.lightmark.loadtest;

/** Opens {@link ServerStats#parse} to tests in other packages. */
public final class ServerStatsAccess {
    private ServerStatsAccess() {}

    public static ServerStats parse(String prometheusText) { return ServerStats.parse(prometheusText); }
}
