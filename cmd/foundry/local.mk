bin_PROGRAMS += foundry
foundry_SOURCES = \
	cmd/foundry/main.c cmd/foundry/commands.h \
	cmd/foundry/spec.c cmd/foundry/features.c \
	cmd/foundry/create.c cmd/foundry/lifecycle.c cmd/foundry/list.c cmd/foundry/exec.c \
	cmd/foundry/pause.c cmd/foundry/resume.c cmd/foundry/update.c cmd/foundry/events.c cmd/foundry/ps.c
foundry_LDADD = $(FY_LIBS)
dist_man_MANS += man/foundry.1
