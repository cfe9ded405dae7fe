// The C reference of the pcap replay benchmark: what `progrun run --pcap` does, as a C program would do
// it. Opens and loads the BPF object with libbpf, sets the same map entry, reads the classic pcap file
// record by record with stdio and makes one BPF_PROG_TEST_RUN call per packet (data in, data out, as
// the CLI asks for), counting the return values.
//
// Usage: c-pcap-replay OBJECT PROGRAM CAPTURE.pcap [MAP KEY_HEX VALUE_HEX]
// Prints one line of JSON: {"packets":N,"retvals":{"1":D,"2":P}}.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hex_bytes(const char *hex, unsigned char *out, size_t size) {
  if (strlen(hex) != size * 2) return -1;
  for (size_t i = 0; i < size; i++) {
    unsigned int byte;
    if (sscanf(hex + 2 * i, "%2x", &byte) != 1) return -1;
    out[i] = (unsigned char)byte;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 4 && argc != 7) {
    fprintf(stderr, "usage: %s OBJECT PROGRAM CAPTURE.pcap [MAP KEY_HEX VALUE_HEX]\n", argv[0]);
    return 2;
  }
  struct bpf_object *object = bpf_object__open_file(argv[1], NULL);
  if (!object || bpf_object__load(object)) {
    fprintf(stderr, "cannot load %s\n", argv[1]);
    return 1;
  }
  struct bpf_program *program = bpf_object__find_program_by_name(object, argv[2]);
  if (!program) {
    fprintf(stderr, "no program %s\n", argv[2]);
    return 1;
  }
  int prog_fd = bpf_program__fd(program);
  if (argc == 7) {
    struct bpf_map *map = bpf_object__find_map_by_name(object, argv[4]);
    unsigned char key[64], value[64];
    if (!map || hex_bytes(argv[5], key, bpf_map__key_size(map)) ||
        hex_bytes(argv[6], value, bpf_map__value_size(map)) ||
        bpf_map_update_elem(bpf_map__fd(map), key, value, BPF_ANY)) {
      fprintf(stderr, "cannot set the entry of %s\n", argv[4]);
      return 1;
    }
  }

  FILE *capture = fopen(argv[3], "rb");
  if (!capture) {
    perror(argv[3]);
    return 1;
  }
  setvbuf(capture, NULL, _IOFBF, 1 << 20);
  uint32_t header[6];
  if (fread(header, sizeof(header), 1, capture) != 1 || (header[0] != 0xa1b2c3d4 && header[0] != 0xa1b23c4d)) {
    fprintf(stderr, "%s is not a little-endian pcap file\n", argv[3]);
    return 1;
  }
  static unsigned char data[262144], out[262144 + 256 + 4096];
  static long retvals[8];
  long packets = 0, other = 0;
  uint32_t record[4];
  while (fread(record, sizeof(record), 1, capture) == 1) {
    uint32_t captured = record[2];
    if (captured > sizeof(data) || fread(data, 1, captured, capture) != captured) {
      fprintf(stderr, "record %ld is cut short\n", packets);
      return 1;
    }
    LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = data, .data_size_in = captured, .data_out = out,
                .data_size_out = sizeof(out), .repeat = 1);
    if (bpf_prog_test_run_opts(prog_fd, &opts)) {
      perror("BPF_PROG_TEST_RUN");
      return 1;
    }
    if (opts.retval < 8) retvals[opts.retval]++;
    else other++;
    packets++;
  }
  printf("{\"packets\":%ld,\"retvals\":{", packets);
  const char *sep = "";
  for (int i = 0; i < 8; i++) {
    if (retvals[i]) {
      printf("%s\"%d\":%ld", sep, i, retvals[i]);
      sep = ",";
    }
  }
  printf("},\"other\":%ld}\n", other);
  bpf_object__close(object);
  return 0;
}
