import { describe, expect, test } from '@jest/globals';
import { UserError } from '../../src/core/errors.js';
import {
  kebab,
  normaliseProjectName,
  pascal,
  plural,
  projectTitle,
  snake,
} from '../../src/core/names.js';

describe('case helpers', () => {
  test.each([
    ['My API', 'my_api', 'MyApi', 'my-api'],
    ['orderLine', 'order_line', 'OrderLine', 'order-line'],
    ['HTTPServer', 'http_server', 'HttpServer', 'http-server'],
    ['user-profile', 'user_profile', 'UserProfile', 'user-profile'],
  ])('%s', (input, s, p, k) => {
    expect(snake(input)).toBe(s);
    expect(pascal(input)).toBe(p);
    expect(kebab(input)).toBe(k);
  });
});

describe('plural', () => {
  test.each([
    ['item', 'items'],
    ['category', 'categories'],
    ['status', 'statuses'],
    ['box', 'boxes'],
    ['person', 'people'],
    ['order_line', 'order_lines'],
    ['key', 'keys'],
    ['data', 'data'],
  ])('%s -> %s', (singular, expected) => expect(plural(singular)).toBe(expected));
});

describe('normaliseProjectName', () => {
  test.each([
    ['My API', 'my-api'],
    ['my_api', 'my-api'],
    ['  shop  ', 'shop'],
    ['OrdersService2', 'orders-service2'],
    ['v2', 'v2'],
  ])('%s -> %s', (raw, expected) => expect(normaliseProjectName(raw)).toBe(expected));

  test.each(['', '   ', '!!!', '.', '..', '---', '@#$%'])('refuses %p with a UserError', (raw) => {
    expect(() => normaliseProjectName(raw)).toThrow(UserError);
    expect(() => normaliseProjectName(raw)).toThrow(/cannot make a project name/);
  });

  test.each([41, 60, 300])('a name of %i characters is refused, with the limit', (length) => {
    expect(() => normaliseProjectName('a'.repeat(length))).toThrow(
      new RegExp(`at most 40 characters \\(${length} given\\)`),
    );
  });

  test('a name of 40 characters is accepted', () => {
    expect(normaliseProjectName('a'.repeat(40))).toBe('a'.repeat(40));
  });
});

test('projectTitle keeps typed capitals, else title-cases the name', () => {
  expect(projectTitle('My API', 'my-api')).toBe('My API');
  expect(projectTitle('my-api', 'my-api')).toBe('My Api');
});
