bin_PROGRAMS += foundry
foundry_SOURCES = \
	cmd/foundry/main.c cmd/foundry/commands.h \
	cmd/foundry/spec.c cmd/foundry/features.c \
	cmd/foundry/create.c cmd/foundry/lifecycle.c cmd/foundry/list.c
foundry_LDADD = $(FY_LIBS)
