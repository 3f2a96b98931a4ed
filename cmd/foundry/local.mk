bin_PROGRAMS += foundry
foundry_SOURCES = \
	cmd/foundry/main.c cmd/foundry/commands.h \
	cmd/foundry/spec.c cmd/foundry/features.c
foundry_LDADD = $(FY_LIBS)
