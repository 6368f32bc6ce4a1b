import { describe, expect, test } from '@jest/globals';
import { parseField, parseFields, type ResourceSpec } from '../../src/core/resources.js';
import {
  checkReverseLists,
  enumClass,
  fieldContext,
  migrationContext,
  resourceContext,
  sqlalchemyField,
} from '../../src/core/resource/index.js';
import { renderProject } from '../../src/core/render.js';
import { initialMigration } from '../../src/core/spec.js';
import { loadPythonFormatter, loadPythonLinter } from '../../src/io/ruff.js';
import { TEMPLATES_DIR } from '../../src/io/paths.js';
import { loadTemplates } from '../../src/io/templates.js';
import { testSpec } from '../helpers/spec.js';

const python = await loadPythonFormatter();
const linter = await loadPythonLinter();
const templates = await loadTemplates(TEMPLATES_DIR);

describe('fields', () => {
  const project = { jwt: true, resources: [] as ResourceSpec[] };
  const order: ResourceSpec = {
    name: 'order',
    owned: false,
    fields: parseFields(
      'total:decimal:min=0,status:enum(pending,paid):default=pending,maker:ref(user),note:text:optional',
    ),
  };
  const [total, status, maker, note] = order.fields.map((f) => fieldContext(project, order, f));
  const columnArgs = (f: ReturnType<typeof fieldContext> | undefined): string | undefined =>
    f && sqlalchemyField(f).columnArgs;

  test('map each type to the model, the schemas and the migration', () => {
    expect([total?.annotation, columnArgs(total)]).toEqual(['Decimal', 'Numeric(12, 2)']);
    expect(total?.constraints).toEqual(['ge=0', 'max_digits=12', 'decimal_places=2']);
    expect(total?.saColumn).toBe(
      'sa.Column("total", sa.Numeric(precision=12, scale=2), nullable=False)',
    );
    expect(status?.pyType).toBe('OrderStatus');
    expect(status?.saColumn).toBe(
      'sa.Column("status", sa.Enum("pending", "paid", name="status", native_enum=False, create_constraint=True), server_default="pending", nullable=False)',
    );
    expect([note?.annotation, columnArgs(note)]).toEqual(['str | None', 'Text']);
    expect(note?.filterType).toBeUndefined();
  });

  test('ref(user) points at the users table, with an index', () => {
    expect(maker?.column).toBe('maker_id');
    expect(columnArgs(maker)).toBe('ForeignKey("users.id", ondelete="RESTRICT"), index=True');
  });

  test('enum class names stay short enough for their lines', () => {
    const resource: ResourceSpec = {
      name: 'very_long_resource_name_for_line_wrapping',
      owned: false,
      fields: [],
    };
    const kind = parseField('kind:enum(a,b)');
    expect(enumClass(order, kind)).toBe('OrderKind');
    expect(enumClass(resource, kind)).toBe('Kind');
    expect(enumClass(resource, parseField('text:enum(a,b)'))).toBe('TextValue');
  });
});

describe('contexts', () => {
  const item: ResourceSpec = { name: 'item', owned: true, fields: parseFields('name:str:unique') };
  const customer: ResourceSpec = {
    name: 'customer',
    owned: false,
    fields: parseFields('name:str'),
  };
  const order: ResourceSpec = {
    name: 'order',
    owned: false,
    fields: parseFields('customer:ref(customer):reverse,number:str:unique'),
  };
  const resources = [item, customer, order];

  test('a resource is owned only in a JWT project', () => {
    expect(resourceContext(item, { ...testSpec(), resources }).owned).toBe(true);
    expect(resourceContext(item, { ...testSpec({ auth: ['none'] }), resources }).owned).toBe(false);
  });

  test('a reverse ref gives the referenced model a list, loaded only on request', () => {
    const context = resourceContext(customer, { ...testSpec(), resources });
    expect(context.relationships).toEqual([
      {
        name: 'orders',
        list: true,
        className: 'Order',
        module: 'orders',
        backPopulates: 'customer',
        foreignKey: 'Order.customer_id',
      },
    ]);
  });

  test("an owned row may refer only to its owner's rows among those users own", () => {
    const note: ResourceSpec = {
      name: 'note',
      owned: true,
      fields: parseFields('item:ref(item),customer:ref(customer):optional'),
    };
    const all = [...resources, note];
    const context = (spec: ReturnType<typeof testSpec>, resource = note) =>
      resourceContext(resource, { ...spec, resources: all }) as {
        ownedReferences: boolean;
        references: Array<{ column: string; className: string; ownedTarget: boolean }>;
        tests: { ownedReferences: string[] };
      };
    const jwt = context(testSpec());
    expect(jwt.ownedReferences).toBe(true);
    expect(jwt.references).toEqual([
      { column: 'item_id', module: 'items', className: 'Item', ownedTarget: true },
      { column: 'customer_id', module: 'customers', className: 'Customer', ownedTarget: false },
    ]);
    expect(jwt.tests.ownedReferences).toEqual(['item_id']);
    // Without auth nothing is owned: existence is all that is checked.
    expect(context(testSpec({ auth: ['none'] })).ownedReferences).toBe(false);
    // Nor does a row that is not owned check whose its parent is.
    expect(context(testSpec(), order).ownedReferences).toBe(false);
  });

  test('a reverse list whose name cannot fit its line is refused, not dropped', () => {
    const longName = 'shipment_of_the_quarterly_orders_record';
    const field = 'a_rather_long_billing_field_name';
    const child: ResourceSpec = {
      name: longName,
      owned: false,
      fields: parseFields(`${field}:ref(customer):reverse,other:ref(customer):reverse`),
    };
    expect(() => checkReverseLists([customer, child], false)).toThrow(
      new RegExp(
        `${longName}\\.${field}: the list of ${longName}s it would add to customer gets too long a name`,
      ),
    );
    expect(() =>
      checkReverseLists([customer, { ...child, name: 'shipment' }], false),
    ).not.toThrow();
  });

  test('every generated line fits, for long names', () => {
    const name = 'very_long_resource_name_for_line_wrapping';
    const long: ResourceSpec[] = [
      {
        name,
        owned: false,
        fields: parseFields(
          'a_rather_long_decimal_field_name_x:decimal:min=0:max=1000000,another_enum_field_name:enum(first,second)',
        ),
      },
      {
        name: 'other_resource_with_a_long_name',
        owned: false,
        fields: parseFields(`parent_reference_field:ref(${name}):reverse`),
      },
    ];
    const spec = { ...testSpec(), resources: long };
    spec.migrations = [initialMigration(long, true)];
    const tree = renderProject(spec, templates, python);
    const files = [...tree].filter(([path]) => path.endsWith('.py') && /long|version/.test(path));
    expect(files.length).toBeGreaterThan(10);
    // Ruff lays the code out; the wording of docstrings, messages and comments must fit too.
    const tooLong = files.flatMap(([path, content]) =>
      linter
        .check(content, path)
        .filter((d) => d.code === 'E501')
        .map((d) => `${path}:${d.start_location.row}`),
    );
    expect(tooLong).toEqual([]);
  });

  test('a required column without a default is added nullable, then made NOT NULL', () => {
    const field = parseField('priority:int');
    const context = migrationContext(
      {
        revision: '0002',
        downRevision: '0001',
        slug: 'add_priority',
        message: 'add priority',
        createsUsers: false,
        ops: [
          { kind: 'add_column', resource: { ...order, fields: [...order.fields, field] }, field },
        ],
      },
      { ...testSpec(), resources },
    );
    const [batch] = context.upgrade as Array<{
      table: string;
      changes: Array<{ saColumn: string }>;
      deferred: unknown[];
      comment: string[];
    }>;
    expect(batch?.table).toBe('orders');
    expect(batch?.changes[0]?.saColumn).toBe('sa.Column("priority", sa.Integer(), nullable=True)');
    expect(batch?.deferred).toEqual([{ column: 'priority', type: 'sa.Integer()' }]);
    expect(batch?.comment[0]).toMatch(/^Rows that exist have no priority yet/);
    const [undo] = context.downgrade as Array<{ changes: Array<{ add: boolean }> }>;
    expect(undo?.changes.map((c) => c.add)).toEqual([false]);
    expect(context.revises).toBe('0001');
  });
});
