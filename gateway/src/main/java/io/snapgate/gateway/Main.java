package io.snapgate.gateway;

import io.snapgate.gateway.cli.Cli;

/** The {@code snapgate} command; {@code snapgate --help} lists the subcommands. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.create(System.getenv()).execute(args));
    }
}
