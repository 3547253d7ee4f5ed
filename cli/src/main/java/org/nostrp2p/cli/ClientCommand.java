package org.nostrp2p.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.nostrp2p.rest.client.ServerUnreachableException;
import picocli.CommandLine;

/**
 * The shape of every client command: the shared {@link ClientOptions}, a {@link Session} with
 * the user's server, and errors turned into one line a user can act on (exit 1 for a refusal
 * or an unreachable server, 2 for a usage problem).
 */
abstract class ClientCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ClientOptions client = new ClientOptions();

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Does the command's work; the session is closed afterwards. */
    abstract int run(Session session) throws Exception;

    @Override
    public final Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        try (Session session = new Session(client)) {
            int code = run(session);
            out().flush();
            return code;
        } catch (ClientOptions.UserError e) {
            out().flush();
            err.println(e.getMessage());
            return e.exitCode;
        } catch (ServerUnreachableException e) {
            out().flush();
            err.println(e.getMessage());
            return 1;
        } catch (IllegalStateException e) {
            out().flush();
            err.println(e.getMessage());
            return 1;
        } finally {
            err.flush();
        }
    }
}
