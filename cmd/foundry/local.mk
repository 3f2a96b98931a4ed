bin_PROGRAMS += foundry
foundry_SOURCES = \
	cmd/foundry/main.c cmd/foundry/commands.h
foundry_LDADD = $(FY_LIBS)
