import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { HttpChatError } from '@ecc/client';
import { SignInPage } from './SignInPage.tsx';

function signInWith(error: Error) {
  render(<SignInPage onSignIn={() => Promise.reject(error)} />);
  fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'client1' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('SignInPage', () => {
  it('says a wrong password is wrong', async () => {
    signInWith(new HttpChatError('INVALID_CREDENTIALS', 'Wrong username or password', 401));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong username or password. Please try again.');
  });

  it('after too many failures, says how long the sign-in stays blocked (Retry-After), not "a minute"', async () => {
    signInWith(new HttpChatError('RATE_LIMITED', 'Too many failed sign-ins; try again later', 429, 900));
    expect((await screen.findByRole('alert')).textContent).toBe('Too many attempts. Please try again in 15 minutes.');
  });

  it('a block ending within the minute', async () => {
    signInWith(new HttpChatError('RATE_LIMITED', 'Too many failed sign-ins; try again later', 429, 40));
    expect((await screen.findByRole('alert')).textContent).toBe('Too many attempts. Please try again in a minute.');
  });
});

describe('SignInPage on a phone', () => {
  // Android's and iOS's keyboards start a field with a capital ("Client1") and correct words, unless told not to.
  it('asks the keyboard not to capitalise, correct or spell-check the username, and sends it without surrounding spaces', async () => {
    const tried: string[] = [];
    render(<SignInPage onSignIn={(username) => (tried.push(username), Promise.resolve())} />);
    const field = screen.getByLabelText<HTMLInputElement>('Username');
    expect({
      autocapitalize: field.getAttribute('autocapitalize'),
      autocorrect: field.getAttribute('autocorrect'),
      spellcheck: field.getAttribute('spellcheck'),
      autocomplete: field.getAttribute('autocomplete'),
    }).toEqual({ autocapitalize: 'none', autocorrect: 'off', spellcheck: 'false', autocomplete: 'username' });
    // A keyboard's suggestion often ends with a space.
    fireEvent.change(field, { target: { value: ' client1 ' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'demo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('button', { name: 'Signing in…' });
    expect(tried).toEqual(['client1']);
  });
});

describe('SignInPage after a refused sign-in', () => {
  it('gives the keyboard back in the password field, its text selected to be typed over', async () => {
    render(<SignInPage onSignIn={() => Promise.reject(new HttpChatError('INVALID_CREDENTIALS', 'Wrong username or password', 401))} />);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'client1' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'wrong' } });
    // Tabbed to the button and pressed: the button is disabled while signing in, which takes the focus from it.
    const button = screen.getByRole('button', { name: 'Sign in' });
    button.focus();
    fireEvent.click(button);
    await screen.findByRole('alert');
    const password = screen.getByLabelText<HTMLInputElement>('Password');
    expect(document.activeElement).toBe(password);
    expect([password.selectionStart, password.selectionEnd]).toEqual([0, 'wrong'.length]);
  });
});
