import { describe, expect, test } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import { orderByReferences, schemaDiff } from '../../src/core/migrations.js';
import {
  checkReferences,
  normaliseResourceName,
  parseField,
  parseFields,
  resourceNames,
  singular,
  type ResourceSpec,
} from '../../src/core/resources.js';

describe('resource names', () => {
  test.each([
    ['order', 'order', 'orders', 'Order'],
    ['Orders', 'order', 'orders', 'Order'],
    ['order-lines', 'order_line', 'order_lines', 'OrderLine'],
    ['OrderLine', 'order_line', 'order_lines', 'OrderLine'],
    ['person', 'person', 'people', 'Person'],
    ['people', 'person', 'people', 'Person'],
    ['category', 'category', 'categories', 'Category'],
    ['categories', 'category', 'categories', 'Category'],
    ['status', 'status', 'statuses', 'Status'],
    ['box', 'box', 'boxes', 'Box'],
  ])('%s -> %s (%s, %s)', (raw, name, many, className) => {
    const normalised = normaliseResourceName(raw);
    expect(normalised).toBe(name);
    expect(resourceNames(normalised)).toMatchObject({
      plural: many,
      className,
      tableName: many,
      module: many,
    });
  });

  test.each([
    ['class', /"class" is a Python keyword or a name the project uses/],
    ['from', /"from" is a Python keyword/],
    ['import', /"import" is a Python keyword/],
    ['app', /a name the project uses/],
    ['../etc/passwd', /a name, not a path/],
    ['orders/items', /a name, not a path/],
    ['9lives', /starting with a letter/],
    ['', /starting with a letter/],
  ])('%p is refused', (raw, message) => {
    expect(() => normaliseResourceName(raw)).toThrow(UserError);
    expect(() => normaliseResourceName(raw)).toThrow(message);
  });

  test('a name the project already has is refused, in any form; `user` when auth has users', () => {
    expect(() => normaliseResourceName('Orders', ['order'])).toThrow(/already has "order"/);
    expect(() => normaliseResourceName('users', ['item', 'user'])).toThrow(/already has "user"/);
    expect(normaliseResourceName('user', ['item'])).toBe('user');
  });

  test('singular', () => {
    expect(
      ['orders', 'people', 'categories', 'statuses', 'boxes', 'address', 'news'].map(singular),
    ).toEqual(['order', 'person', 'category', 'status', 'box', 'address', 'news']);
  });
});

describe('fields', () => {
  test('the issue example parses', () => {
    const fields = parseFields(
      'number:str:unique,total:decimal,status:enum(pending,paid,shipped),placed_at:datetime,customer:ref(customer)',
    );
    expect(fields.map((f) => [f.name, f.type])).toEqual([
      ['number', 'str'],
      ['total', 'decimal'],
      ['status', 'enum'],
      ['placed_at', 'datetime'],
      ['customer', 'ref'],
    ]);
    expect(fields[0]).toMatchObject({ unique: true, required: true });
    expect(fields[2]?.values).toEqual(['pending', 'paid', 'shipped']);
    expect(fields[4]?.ref).toBe('customer');
  });

  test('modifiers', () => {
    expect(parseField('note:text:optional')).toMatchObject({ required: false });
    expect(parseField('qty:int:min=1:max=99:default=1:index')).toMatchObject({
      min: 1,
      max: 99,
      default: '1',
      index: true,
    });
    expect(parseField('code:str:max=20:unique')).toMatchObject({ max: 20, unique: true });
    expect(parseField('paid:bool:default=False')).toMatchObject({ default: 'false' });
    expect(parseField('author:ref(people):reverse')).toMatchObject({
      ref: 'person',
      reverse: true,
    });
    expect(parseField('PlacedAt:datetime').name).toBe('placed_at');
  });

  test.each([
    ['total', /expected name:type/],
    ['total:money', /unknown type "money"/],
    ['class:str', /"class" is reserved/],
    ['id:int', /"id" is reserved/],
    ['s:enum()', /enum needs values/],
    ['s:enum(a,a)', /enum needs distinct values/],
    ['c:ref', /ref needs a resource/],
    ['n:int:min=x', /min=x is not a number/],
    ['n:int:min=5:max=1', /min is greater than max/],
    ['n:int:max=2147483648', /an int column holds -2147483648 to 2147483647/],
    ['n:int:min=-2147483649', /an int column holds/],
    ['n:int:min=-1e12:max=0', /an int column holds/],
    ['s:enum(ä,ö)', /enum value "ä" cannot name a Python enum member/],
    ['s:enum(1,2)', /enum value "1" cannot name a Python enum member/],
    ['s:enum(,)', /enum needs values/],
    ['m:json:default={"a":1}', /a json field takes no default=/],
    ['r:ref(item):default=1', /a ref field takes no default=/],
    ['u:url:default=notaurl', /default=notaurl does not fit type url/],
    ['u:url:default=https://x.org', /a default= value cannot hold ":"/],
    ['s:str:default=a:b', /a default= value cannot hold ":"/],
    ['e:email:default=nope', /default=nope does not fit type email/],
    ['n:int:default=99999999999', /default=99999999999 does not fit type int/],
    ['b:bool:unique', /cannot be unique/],
    ['n:int:default=abc', /default=abc does not fit type int/],
    ['n:int:shiny', /unknown modifier "shiny"/],
    ['d:date:min=1', /min\/max apply to/],
    ['s:enum(a,b):unique', /an enum field cannot be unique \(it would allow one row per value\)/],
    ['data:json:index', /a json field cannot be indexed/],
    ['author:ref(user):unique', /unique on ref\(user\) \(one row per user\) is not supported/],
    ['author:ref(user):reverse', /reverse is not available on ref\(user\)/],
  ])('%p is a clear error', (text, message) => {
    expect(() => parseField(text)).toThrow(message);
  });

  test('a field declared twice, and an empty list, are errors', () => {
    expect(() => parseFields('a:int,a:str')).toThrow(/declared twice/);
    expect(() => parseFields('customer_id:int,customer:ref(customer)')).toThrow(
      /declared twice \(as customer_id\)/,
    );
    expect(() => parseField(`${'x'.repeat(39)}:int`)).toThrow(/at most 38 characters/);
    expect(() => parseFields(' , ')).toThrow(/no fields/);
  });
});

const resource = (name: string, fields: string): ResourceSpec => ({
  name,
  fields: parseFields(fields),
  owned: false,
});

describe('references and migrations', () => {
  const customer = resource('customer', 'name:str');
  const order = resource('order', 'total:decimal,customer:ref(customer)');

  test('a ref must name a resource of the project, or user with JWT', () => {
    expect(() => checkReferences([order], false)).toThrow(/ref\(customer\) names no resource/);
    expect(() => checkReferences([resource('note', 'author:ref(user)')], false)).toThrow(
      /ref\(user\)/,
    );
    expect(() => checkReferences([resource('note', 'author:ref(user)')], true)).not.toThrow();
  });

  test('a reverse list on a reference to itself is refused', () => {
    expect(() =>
      checkReferences(
        [resource('category', 'name:str,parent:ref(category):optional:reverse')],
        false,
      ),
    ).toThrow(/category\.parent: reverse on a reference to itself is not supported/);
  });

  test('references in a cycle are refused; only a reference to itself may be optional', () => {
    expect(() => checkReferences([resource('node', 'parent:ref(node)')], false)).toThrow(
      /required references form a cycle \(node\.parent\): no first row could be created; make one optional, e\.g\. parent:ref\(node\):optional/,
    );
    const a = resource('alpha', 'name:str,beta:ref(beta)');
    const b = resource('beta', 'name:str,gamma:ref(gamma)');
    const c = resource('gamma', 'name:str,alpha:ref(alpha)');
    expect(() => checkReferences([customer, a, b, c], false)).toThrow(
      /cycle \(alpha\.beta -> beta\.gamma -> gamma\.alpha\)/,
    );
    // Optional links make rows possible, but the tables still could not be dropped in order
    // (SQLAlchemy's drop_all refuses), nor created by a migration one after the other.
    const optional = resource('gamma', 'name:str,alpha:ref(alpha):optional');
    expect(() => checkReferences([a, b, optional], false)).toThrow(
      /references form a cycle between tables \(alpha\.beta -> beta\.gamma -> gamma\.alpha\): .*remove one of these references/,
    );
    const x = resource('xray', 'yankee:ref(yankee):optional');
    const y = resource('yankee', 'xray:ref(xray):optional');
    expect(() => checkReferences([x, y], false)).toThrow(
      /cycle between tables \(xray\.yankee -> yankee\.xray\)/,
    );
    expect(() =>
      checkReferences([resource('node', 'parent:ref(node):optional')], false),
    ).not.toThrow();
    // A diamond is no cycle.
    const top = resource('top', 'name:str');
    const left = resource('left', 'top:ref(top)');
    const right = resource('right', 'top:ref(top)');
    const bottom = resource('bottom', 'left:ref(left),right:ref(right)');
    expect(() => checkReferences([bottom, left, right, top], false)).not.toThrow();
  });

  test('referenced tables come first', () => {
    expect(orderByReferences([order, customer]).map((r) => r.name)).toEqual(['customer', 'order']);
  });

  test('schemaDiff: new tables, columns added and dropped, tables dropped in reverse order', () => {
    const order2 = {
      ...order,
      fields: [...order.fields.filter((f) => f.name !== 'total'), parseField('note:text:optional')],
    };
    expect(schemaDiff([], [order, customer]).map((o) => `${o.kind} ${o.resource.name}`)).toEqual([
      'create_table customer',
      'create_table order',
    ]);
    expect(
      schemaDiff([customer, order], [customer, order2]).map(
        (o) => `${o.kind} ${'field' in o ? o.field.name : ''}`,
      ),
    ).toEqual(['drop_column total', 'add_column note']);
    expect(schemaDiff([customer, order], []).map((o) => `${o.kind} ${o.resource.name}`)).toEqual([
      'drop_table order',
      'drop_table customer',
    ]);
  });
});
