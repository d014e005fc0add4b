/*
 * Kafka-protocol broker for local runs and tests: librdkafka's built-in mock cluster.
 *
 *   mock-broker [--brokers N] [--partitions N] [--topic NAME]... [--exit-on-eof]
 *
 * Prints "BOOTSTRAP host:port,host:port,..." as its first stdout line, then reads commands
 * on stdin, one per line, and answers each with "OK <command>" or "ERR <reason>":
 *   down            take every broker down (connections refused, log kept)
 *   up              bring every broker back up
 *   down ID / up ID one broker (ids 1..N)
 *   create TOPIC [P] create a topic with P partitions (default: --partitions)
 *
 * Partitions: librdkafka 2.0.x has no API to change the partition count of
 * auto-created topics; they get the library default (4 partitions, replication
 * min(3, N)). --partitions applies to topics named with --topic (pre-created at
 * start) and to the `create` command.
 *
 * Exits on SIGTERM/SIGINT; on stdin EOF only with --exit-on-eof (otherwise it keeps
 * serving until signalled). Messages live in memory only.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#define MAX_TOPICS 64

static volatile sig_atomic_t stop_requested = 0;

static void on_signal(int sig) {
        (void)sig;
        stop_requested = 1;
}

static void usage(const char *prog) {
        fprintf(stderr,
                "usage: %s [--brokers N] [--partitions N] [--topic NAME]... [--exit-on-eof]\n",
                prog);
}

static int parse_positive(const char *s, int *out) {
        char *end = NULL;
        long v;
        errno = 0;
        v = strtol(s, &end, 10);
        if (errno || !end || *end != '\0' || v < 1 || v > 100000)
                return -1;
        *out = (int)v;
        return 0;
}

static void reply(const char *fmt, const char *a, const char *b) {
        printf(fmt, a, b);
        fflush(stdout);
}

static void set_state(rd_kafka_mock_cluster_t *mc, int broker_cnt, int down, const char *arg,
                      const char *line) {
        rd_kafka_resp_err_t err;
        int id, first, last;

        if (arg && *arg) {
                if (parse_positive(arg, &id) != 0 || id > broker_cnt) {
                        reply("ERR unknown broker id %s%s\n", arg, "");
                        return;
                }
                first = last = id;
        } else {
                first = 1;
                last  = broker_cnt;
        }
        for (id = first; id <= last; id++) {
                err = down ? rd_kafka_mock_broker_set_down(mc, id)
                           : rd_kafka_mock_broker_set_up(mc, id);
                if (err) {
                        reply("ERR %s: %s\n", line, rd_kafka_err2str(err));
                        return;
                }
        }
        reply("OK %s%s\n", line, "");
}

static void handle_line(rd_kafka_mock_cluster_t *mc, int broker_cnt, int partitions, char *line) {
        char *cmd, *arg, *arg2, *save = NULL;
        char original[512];
        size_t n = strlen(line);

        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' ||
                         line[n - 1] == '\t'))
                line[--n] = '\0';
        while (*line == ' ' || *line == '\t')
                line++;
        if (!*line)
                return;
        snprintf(original, sizeof(original), "%s", line);

        cmd  = strtok_r(line, " \t", &save);
        arg  = strtok_r(NULL, " \t", &save);
        arg2 = strtok_r(NULL, " \t", &save);

        if (!strcmp(cmd, "down") || !strcmp(cmd, "up")) {
                if (arg2) {
                        reply("ERR too many arguments: %s%s\n", original, "");
                        return;
                }
                set_state(mc, broker_cnt, !strcmp(cmd, "down"), arg, original);
        } else if (!strcmp(cmd, "create")) {
                int p = partitions;
                rd_kafka_resp_err_t err;
                if (!arg || (arg2 && parse_positive(arg2, &p) != 0)) {
                        reply("ERR usage: create TOPIC [PARTITIONS]%s%s\n", "", "");
                        return;
                }
                err = rd_kafka_mock_topic_create(mc, arg, p, broker_cnt < 3 ? broker_cnt : 3);
                if (err)
                        reply("ERR %s: %s\n", original, rd_kafka_err2str(err));
                else
                        reply("OK %s%s\n", original, "");
        } else {
                reply("ERR unknown command: %s%s\n", original, "");
        }
}

int main(int argc, char **argv) {
        int broker_cnt = 3, partitions = 4, exit_on_eof = 0, stdin_open = 1;
        const char *topics[MAX_TOPICS];
        int topic_cnt = 0, i;
        char errstr[512];
        rd_kafka_conf_t *conf;
        rd_kafka_t *rk;
        rd_kafka_mock_cluster_t *mc;
        char buf[4096];
        size_t used = 0;
        struct sigaction sa;

        for (i = 1; i < argc; i++) {
                if (!strcmp(argv[i], "--brokers") && i + 1 < argc) {
                        if (parse_positive(argv[++i], &broker_cnt) != 0) {
                                fprintf(stderr, "invalid --brokers %s\n", argv[i]);
                                return 2;
                        }
                } else if (!strcmp(argv[i], "--partitions") && i + 1 < argc) {
                        if (parse_positive(argv[++i], &partitions) != 0) {
                                fprintf(stderr, "invalid --partitions %s\n", argv[i]);
                                return 2;
                        }
                } else if (!strcmp(argv[i], "--topic") && i + 1 < argc) {
                        if (topic_cnt >= MAX_TOPICS) {
                                fprintf(stderr, "too many --topic\n");
                                return 2;
                        }
                        topics[topic_cnt++] = argv[++i];
                } else if (!strcmp(argv[i], "--exit-on-eof")) {
                        exit_on_eof = 1;
                } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
                        usage(argv[0]);
                        return 0;
                } else {
                        usage(argv[0]);
                        return 2;
                }
        }

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        signal(SIGPIPE, SIG_IGN);

        conf = rd_kafka_conf_new();
        if (rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr)) !=
            RD_KAFKA_CONF_OK) {
                fprintf(stderr, "conf: %s\n", errstr);
                return 1;
        }
        rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(stderr, "rd_kafka_new failed: %s\n", errstr);
                return 1;
        }
        mc = rd_kafka_mock_cluster_new(rk, broker_cnt);
        if (!mc) {
                fprintf(stderr, "rd_kafka_mock_cluster_new failed\n");
                rd_kafka_destroy(rk);
                return 1;
        }
        for (i = 0; i < topic_cnt; i++) {
                rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(
                    mc, topics[i], partitions, broker_cnt < 3 ? broker_cnt : 3);
                if (err) {
                        fprintf(stderr, "create topic %s: %s\n", topics[i], rd_kafka_err2str(err));
                        rd_kafka_mock_cluster_destroy(mc);
                        rd_kafka_destroy(rk);
                        return 1;
                }
        }

        printf("BOOTSTRAP %s\n", rd_kafka_mock_cluster_bootstraps(mc));
        fflush(stdout);

        while (!stop_requested) {
                struct pollfd pfd;
                int r;
                if (!stdin_open) {
                        pause(); /* until a signal arrives */
                        continue;
                }
                pfd.fd      = STDIN_FILENO;
                pfd.events  = POLLIN;
                pfd.revents = 0;
                r           = poll(&pfd, 1, 500);
                if (r < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                if (r == 0)
                        continue;
                {
                        ssize_t got = read(STDIN_FILENO, buf + used, sizeof(buf) - 1 - used);
                        char *start, *nl;
                        if (got < 0) {
                                if (errno == EINTR || errno == EAGAIN)
                                        continue;
                                got = 0;
                        }
                        if (got == 0) {
                                if (used > 0) { /* last line without newline */
                                        buf[used] = '\0';
                                        handle_line(mc, broker_cnt, partitions, buf);
                                        used = 0;
                                }
                                if (exit_on_eof)
                                        break;
                                stdin_open = 0;
                                continue;
                        }
                        used += (size_t)got;
                        buf[used] = '\0';
                        start     = buf;
                        while ((nl = strchr(start, '\n')) != NULL) {
                                *nl = '\0';
                                handle_line(mc, broker_cnt, partitions, start);
                                start = nl + 1;
                        }
                        used = strlen(start);
                        memmove(buf, start, used + 1);
                        if (used >= sizeof(buf) - 1) { /* overlong line: discard */
                                reply("ERR line too long%s%s\n", "", "");
                                used = 0;
                        }
                }
        }

        rd_kafka_mock_cluster_destroy(mc);
        rd_kafka_destroy(rk);
        return 0;
}
