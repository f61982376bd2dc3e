// The `ember` command.
#include "cli/app.h"

int main(int argc, char** argv) { return ember::cli::Main(argc, argv); }
