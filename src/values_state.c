/*
 * values_state.c — account_tier.values_state, the state of the value-set
 * aggregates: an expanded object while an aggregate runs (its transition and
 * combine functions change it in place, nothing is copied per row); a flat
 * form where PostgreSQL needs a datum of bytes (a parallel worker's partial
 * result, a copy): the format version, the parameters, then the value set's
 * wire format (wire.c); and its text and binary forms, which Citus and
 * clients use.  Every flat state read is checked: from text (22P02), from
 * binary (22P03), or handed over some other way (22000).
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "module.h"
#include "shares.h"
#include "state.h"
#include "tiers.h"
#include "values_state.h"

AT_FUNCTION(values_state_in);
AT_FUNCTION(values_state_out);
AT_FUNCTION(values_state_recv);
AT_FUNCTION(values_state_send);

static Size values_state_flat_size(ExpandedObjectHeader *eohptr);
static void values_state_flatten(ExpandedObjectHeader *eohptr, void *result, Size size);

const ExpandedObjectMethods values_state_methods = {
	values_state_flat_size,
	values_state_flatten
};

/*
 * A new state without values or parameters, in a memory context of its own
 * under `parent' (for a transition state, the aggregate context: then
 * PostgreSQL keeps the object as it is, see ExecAggTransReparent).  Its
 * first kilobyte holds the state of a small group whole; its blocks grow as
 * an aggregate context's do, for a large one.
 */
static ValuesState *
state_alloc(MemoryContext parent)
{
	MemoryContext mcxt = AllocSetContextCreate(parent, "account_tier values_state",
											   ALLOCSET_SMALL_MINSIZE, ALLOCSET_SMALL_INITSIZE,
											   ALLOCSET_DEFAULT_MAXSIZE);
	ValuesState *state = MemoryContextAllocZero(mcxt, sizeof(ValuesState));

	EOH_init_header(&state->hdr, &values_state_methods, mcxt);
	return state;
}

/* A new, empty state for values of `radix', under `parent'. */
ValuesState *
values_state_new(MemoryContext parent, int radix)
{
	ValuesState *state = state_alloc(parent);

	vs_init(&state->vs, radix, state->hdr.eoh_context, 0);
	return state;
}

/* Frees a state and all it holds. */
void
values_state_free(ValuesState *state)
{
	MemoryContextDelete(state->hdr.eoh_context);
}

/* The bytes of a state's flat form, refused past what a datum can hold. */
static Size
values_state_flat_size(ExpandedObjectHeader *eohptr)
{
	ValuesState *state = (ValuesState *) eohptr;
	Size		size = VARHDRSZ + 2 +
		state_optional_numeric_size(state->params.a) +
		state_optional_numeric_size(state->params.b) +
		sizeof(int32) + vs_serialized_size(&state->vs);

	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("account_tier aggregate state too large"),
				 errdetail("Its %lld values would take %zu bytes; a state can take 1 GB.",
						   (long long) state->vs.n, size)));
	return size;
}

/* Writes a state's flat form into `size' bytes at `result'. */
static void
values_state_flatten(ExpandedObjectHeader *eohptr, void *result, Size size)
{
	ValuesState *state = (ValuesState *) eohptr;
	StateWriter w;

	SET_VARSIZE(result, size);
	state_writer(&w, VARDATA(result), size - VARHDRSZ);
	state_put_begin(&w);
	state_put_optional_numeric(&w, state->params.a);
	state_put_optional_numeric(&w, state->params.b);
	state_put_int32(&w, state->params.points);
	vs_serialize(&state->vs, &w);
	state_put_end(&w);
}

/*
 * Reads the parameters of a flat state, checked: the ones one aggregate
 * could have set (thresholds a <= b in (0, 1], both or none; or
 * lorenz_curve's points; or nothing).  Which ones a final function needs is
 * checked there.
 */
static void
read_params(StateReader *r, ValuesParams *params, MemoryContext mcxt)
{
	params->a = state_optional_numeric(r, mcxt, "A threshold");
	params->b = state_optional_numeric(r, mcxt, "A threshold");
	if ((params->a == NULL) != (params->b == NULL))
		invalid_state(r->sqlstate, "The state has one threshold without the other.");
	if (params->a != NULL && !thresholds_valid(params->a, params->b))
		invalid_state(r->sqlstate, "The state's thresholds are not in (0, 1] with a <= b.");
	params->points = state_int32(r);
	if (params->points != 0 && !lorenz_points_valid(params->points))
		invalid_state(r->sqlstate,
					  psprintf("The state's number of lorenz_curve points, %d, is out of range.",
							   params->points));
	if (params->points != 0 && params->a != NULL)
		invalid_state(r->sqlstate, "The state has both thresholds and lorenz_curve points.");
}

/* Points a reader at a flat state, past its format version and byte order. */
static void
flat_reader(StateReader *r, struct varlena *flat, int sqlstate)
{
	state_reader(r, VARDATA_ANY(flat), VARSIZE_ANY_EXHDR(flat), sqlstate);
	state_begin(r);
}

/*
 * A flat state expanded into a new state under `parent', every byte
 * checked; a malformed one is refused with `sqlstate'.
 */
ValuesState *
values_state_expand(Datum flat, MemoryContext parent, int sqlstate)
{
	struct varlena *bytes = pg_detoast_datum_packed((struct varlena *) DatumGetPointer(flat));
	ValuesState *state = state_alloc(parent);
	StateReader r;

	flat_reader(&r, bytes, sqlstate);
	read_params(&r, &state->params, state->hdr.eoh_context);
	vs_deserialize(&state->vs, &r, state->hdr.eoh_context);
	state_end(&r);
	return state;
}

/* The expanded object of a datum that is one, else NULL. */
static ValuesState *
expanded_state(Datum state)
{
	ExpandedObjectHeader *eoh;

	if (!VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(state)))
		return NULL;
	eoh = DatumGetEOHP(state);
	if (eoh->eoh_methods != &values_state_methods)
		elog(ERROR, "expanded object is not an account_tier values_state");
	return (ValuesState *) eoh;
}

/*
 * The state a datum holds, to read: the expanded object itself, or a flat
 * state expanded under `parent'.
 */
ValuesState *
values_state_of(Datum state, MemoryContext parent)
{
	ValuesState *expanded = expanded_state(state);

	if (expanded != NULL)
		return expanded;
	return values_state_expand(state, parent, ERRCODE_DATA_EXCEPTION);
}

/* Whether two optional thresholds are equal. */
static bool
same_threshold(Numeric x, Numeric y)
{
	if (x == NULL || y == NULL)
		return x == y;
	return numeric_compare(x, y) == 0;
}

/* Refuses to combine states of different parameters. */
static void
check_same_params(const ValuesParams *into, const ValuesParams *from)
{
	if (!same_threshold(into->a, from->a) || !same_threshold(into->b, from->b) ||
		into->points != from->points)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("parameters differ between rows of one aggregate"),
				 errdetail("Thresholds and points are read once and must be the same for every row.")));
}

/*
 * Adds the values of state `from' to `into', refusing a state of other
 * parameters or of values of the other type.  A flat state (a parallel
 * worker's, or one read from text) is read once, checked as it is read,
 * and never expanded.
 */
void
values_state_merge(ValuesState *into, Datum from)
{
	ValuesState *expanded = expanded_state(from);
	StateReader r;
	ValuesParams params;

	if (expanded != NULL)
	{
		check_same_params(&into->params, &expanded->params);
		vs_check_radix(&into->vs, expanded->vs.radix, ERRCODE_DATA_EXCEPTION);
		vs_merge(&into->vs, &expanded->vs);
		return;
	}
	flat_reader(&r, pg_detoast_datum_packed((struct varlena *) DatumGetPointer(from)),
				ERRCODE_DATA_EXCEPTION);
	read_params(&r, &params, CurrentMemoryContext);
	check_same_params(&into->params, &params);
	vs_merge_serialized(&into->vs, &r);
	state_end(&r);
}

/* Text and binary forms ------------------------------------------------------------ */

/*
 * The header of a state's text form: the values' type and number, then the
 * parameters.  Written by this code alone (numeric_out depends on no
 * setting), so that one state always has one header.
 */
static char *
state_header(int radix, int64 n, const ValuesParams *params)
{
	StringInfoData header;

	initStringInfo(&header);
	appendStringInfo(&header, "%s n=%lld", radix == RADIX_BINARY ? "float8" : "numeric",
					 (long long) n);
	if (params->a != NULL)
		appendStringInfo(&header, " a=%s b=%s",
						 DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(params->a))),
						 DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(params->b))));
	if (params->points != 0)
		appendStringInfo(&header, " points=%d", params->points);
	return header.data;
}

/* The header of a flat state, read from its first bytes (checked as read). */
static char *
flat_header(struct varlena *flat)
{
	StateReader r;
	ValuesParams params;
	VsWireHead	head;

	flat_reader(&r, flat, ERRCODE_DATA_EXCEPTION);
	read_params(&r, &params, CurrentMemoryContext);
	vs_read_head(&r, &head);
	return state_header(head.radix, head.n, &params);
}

/* A state's flat form, freshly allocated. */
static struct varlena *
flat_copy(Datum state)
{
	ValuesState *expanded = expanded_state(state);
	struct varlena *flat;
	Size		size;

	if (expanded == NULL)
		return pg_detoast_datum_copy((struct varlena *) DatumGetPointer(state));
	size = EOH_get_flat_size(&expanded->hdr);
	flat = palloc(size);
	EOH_flatten_into(&expanded->hdr, flat, size);
	return flat;
}

/*
 * Checks a flat state read from text or binary, refusing it with `sqlstate',
 * without expanding it.
 */
static void
check_flat(struct varlena *flat, int sqlstate)
{
	StateReader r;
	ValuesParams params;

	flat_reader(&r, flat, sqlstate);
	read_params(&r, &params, CurrentMemoryContext);
	vs_check_serialized(&r);
	state_end(&r);
}

/*
 * Input: "HEADER \xHEX", the header saying what the state holds, then its
 * flat form in hexadecimal (see values_state_out); the bytes are checked,
 * then the header against the one they give.
 */
Datum
values_state_in(PG_FUNCTION_ARGS)
{
	char	   *header;
	struct varlena *flat = state_text_bytes(PG_GETARG_CSTRING(0), &header);

	check_flat(flat, ERRCODE_INVALID_TEXT_REPRESENTATION);
	state_check_header(header, flat_header(flat));
	PG_RETURN_POINTER(flat);
}

/*
 * Output: a short readable header ("numeric n=3 a=0.80 b=0.95"), then the
 * flat form in hexadecimal, which input reads back to the same state.
 */
Datum
values_state_out(PG_FUNCTION_ARGS)
{
	Datum		state = PG_GETARG_DATUM(0);
	ValuesState *expanded = expanded_state(state);
	struct varlena *flat;
	char	   *header;

	if (expanded != NULL)
	{
		flat = flat_copy(state);
		header = state_header(expanded->vs.radix, expanded->vs.n, &expanded->params);
	}
	else
	{
		flat = pg_detoast_datum_packed((struct varlena *) DatumGetPointer(state));
		header = flat_header(flat);
	}
	PG_RETURN_CSTRING(state_text(header, VARDATA_ANY(flat), VARSIZE_ANY_EXHDR(flat)));
}

/* Binary input: the flat form's bytes, checked. */
Datum
values_state_recv(PG_FUNCTION_ARGS)
{
	struct varlena *flat = state_received((StringInfo) PG_GETARG_POINTER(0));

	check_flat(flat, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(flat);
}

/* Binary output: the flat form's bytes. */
Datum
values_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(flat_copy(PG_GETARG_DATUM(0)));
}
