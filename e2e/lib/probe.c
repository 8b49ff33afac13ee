/*
 * A static network probe for `e2e/cluster smoke`. No image with a shell or curl can be pulled
 * here, so this (packed with the pause binary's recipe) is what a pod runs to prove it reaches
 * the host's S3 server and the kubernetes Service's ClusterIP.
 *
 *   probe tcp:IP:PORT ...   connect, nothing more
 *   probe http:IP:PORT ...  connect, send GET /, expect an HTTP status line back (any status)
 *
 * Exits 0 when every target answered, 1 otherwise; prints one line per target.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int probe(const char *spec) {
  char buf[256];
  char kind[8], ip[64];
  int port;
  if (sscanf(spec, "%7[^:]:%63[^:]:%d", kind, ip, &port) != 3) {
    printf("%s: bad target (want tcp:IP:PORT or http:IP:PORT)\n", spec);
    return 0;
  }
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
  if (inet_pton(AF_INET, ip, &addr.sin_addr) != 1) {
    printf("%s: bad address\n", spec);
    return 0;
  }
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct timeval tv = {.tv_sec = 5};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    printf("%s: connect failed\n", spec);
    close(fd);
    return 0;
  }
  if (strcmp(kind, "http") == 0) {
    snprintf(buf, sizeof buf, "GET / HTTP/1.0\r\nHost: %s:%d\r\n\r\n", ip, port);
    ssize_t n = write(fd, buf, strlen(buf));
    n = n > 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (n < 12 || strncmp(buf, "HTTP/", 5) != 0) {
      printf("%s: no HTTP answer\n", spec);
      close(fd);
      return 0;
    }
    buf[n] = 0;
    buf[strcspn(buf, "\r\n")] = 0;
    printf("%s: ok (%s)\n", spec, buf);
  } else {
    printf("%s: ok (connected)\n", spec);
  }
  close(fd);
  return 1;
}

int main(int argc, char **argv) {
  int ok = argc > 1;
  for (int i = 1; i < argc; i++) ok &= probe(argv[i]);
  return ok ? 0 : 1;
}
